import { describe, expect, it } from "vitest";
import { stopStringCriterion } from "./stop-strings.js";

// a toy tokenizer whose tokens are pieces of text, decoded by concatenation (as byte-level BPE does)
const pieces = ["The", " end", ".", "\n", "Ne", "xt", " line", "\nNext", "en", "d"];
const decode = (ids: readonly number[]) => ids.map((id) => pieces[id]).join("");

describe("stopStringCriterion (HF's stop_strings)", () => {
  it("stops once a generated token completes the string, across tokens and inside the newest token", () => {
    const stop = stopStringCriterion(["end."], decode, [0]); // prompt "The"
    expect(stop([1])).toBe(false); // "The end"
    expect(stop([1, 2])).toBe(true); // "The end." — completed by "."
    const newline = stopStringCriterion(["\n"], decode, [0]);
    expect(newline([1, 7])).toBe(true); // "\nNext": the string ends inside the newest token
    expect(newline([1, 2])).toBe(false);
  });

  it("counts a string that starts in the prompt, but not one the prompt alone holds", () => {
    // prompt "The en" + generated "d." holds "end." across the boundary
    expect(stopStringCriterion(["end."], decode, [0, 8])([9, 2])).toBe(true);
    // prompt "The end." already holds it: generating more does not stop
    expect(stopStringCriterion(["end."], decode, [0, 1, 2])([4, 5])).toBe(false);
    expect(stopStringCriterion([], decode, [0])([1, 2])).toBe(false);
  });

  it("any of several strings stops", () => {
    const stop = stopStringCriterion(["xyz", "Next"], decode, [0]);
    expect(stop([3, 4])).toBe(false); // "The\nNe"
    expect(stop([3, 4, 5])).toBe(true); // "The\nNext"
  });
});
