import { describe, expect, it } from "vitest";
import * as sg from "../index.js";

describe("pytrees recognise tensors by their brand", () => {
  it("isTensor accepts tensors and rejects look-alikes", () => {
    const x = sg.tensor([1, 2]);
    expect(sg.isTensor(x)).toBe(true);
    expect(sg.isTensor({ shape: [2], dtype: "float32", size: 2 })).toBe(false);
    expect(sg.isTensor(null)).toBe(false);
    expect(sg.isTensor(3)).toBe(false);
    sg.dispose(x);
  });

  it("treeLeaves collects tensors only, in key order, and skips static values", () => {
    const a = sg.tensor([1]);
    const b = sg.tensor([2]);
    const tree = { w: a, meta: { step: 3, name: "x", shape: [1] }, layers: [null, { b }] };
    expect(sg.treeLeaves(tree)).toEqual([a, b]);
    expect([...sg.treeFlatten(tree).keys()]).toEqual(["w", "layers.1.b"]);
    sg.dispose(tree);
  });
});
