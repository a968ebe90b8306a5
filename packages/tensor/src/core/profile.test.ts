import { afterEach, describe, expect, it } from "vitest";
import { addProfileSample, formatProfile, profileSnapshot, resetProfile } from "./profile.js";

afterEach(resetProfile);

describe("profile", () => {
  it("sums time and calls per primitive, slowest first", () => {
    addProfileSample("add", 1);
    addProfileSample("matmul", 5);
    addProfileSample("add", 2);
    expect(profileSnapshot()).toEqual([
      { primitive: "matmul", ms: 5, calls: 1 },
      { primitive: "add", ms: 3, calls: 2 },
    ]);
  });

  it("formats per step, with the columns aligned however long a name is", () => {
    addProfileSample("crossEntropy backward (fused)", 40);
    addProfileSample("add", 30);
    addProfileSample("add", 30);
    const lines = formatProfile(2).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^add\s+30\.00 ms\s+60\.0%\s+1 calls$/);
    expect(lines[2]).toMatch(/^crossEntropy backward \(fused\)\s+20\.00 ms\s+40\.0%\s+1 calls$/);
    expect(lines[3]).toMatch(/^total\s+50\.00 ms$/);
    // every "ms" and every share ends in the same column
    const msEnds = lines.slice(1).map((l) => l.indexOf(" ms") + 3);
    expect(new Set(msEnds).size).toBe(1);
    expect(lines[1]!.indexOf("%")).toBe(lines[2]!.indexOf("%"));
    // and the header's names end where their columns do
    expect(lines[0]!.indexOf("ms/step") + "ms/step".length).toBe(msEnds[0]);
    expect(lines[0]!.indexOf("share") + "share".length).toBe(lines[1]!.indexOf("%") + 1);
    expect(lines[0]!.length).toBe(lines[1]!.length);
  });
});
