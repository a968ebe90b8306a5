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

  it("treeMapWithPath maps custom leaves with their dotted paths and keeps everything else", () => {
    type Spec = { shape: number[] };
    const isSpec = (x: unknown): x is Spec =>
      typeof x === "object" && x !== null && Array.isArray((x as Spec).shape);
    const spec = { h: [{ w: { shape: [2, 3] } }, { w: { shape: [4] } }], note: "static", n: 3 };
    const paths: string[] = [];
    const sizes = sg.treeMapWithPath(
      spec,
      (leaf: Spec, path) => {
        paths.push(path);
        return leaf.shape.reduce((a, b) => a * b, 1);
      },
      isSpec,
    );
    expect(paths).toEqual(["h.0.w", "h.1.w"]);
    expect(sizes).toEqual({ h: [{ w: 6 }, { w: 4 }], note: "static", n: 3 });
  });

  it("treeMap keeps the structure and passes the same paths as treeFlatten", () => {
    const tree = { a: [sg.tensor([1]), sg.tensor([2])], b: { c: sg.tensor([3]) }, k: 1 };
    const seen: string[] = [];
    const doubled = sg.treeMap(tree, (t, path) => {
      seen.push(path);
      return sg.mul(t, 2);
    });
    expect(seen).toEqual([...sg.treeFlatten(tree).keys()]);
    expect(doubled.k).toBe(1);
    expect(sg.treeLeaves(doubled).map((t) => t.item())).toEqual([2, 4, 6]);
    sg.dispose([tree, doubled]);
  });
});
