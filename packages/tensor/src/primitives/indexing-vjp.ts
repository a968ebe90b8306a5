import * as ix from "../ops/indexing.js";
import type { VjpRule } from "./primitive.js";

// VJP rules of the indexing primitives (their shape rules and kernels: ./indexing.ts). gather and
// scatterAdd are each other's transpose; integer indices get no cotangent.

export const gatherVjp: VjpRule<"gather"> = (g, [x, idx], _out, { axis }) => [
  ix.scatterAdd(g, idx!, axis, x!.shape[axis]!),
  null,
];

export const scatterAddVjp: VjpRule<"scatterAdd"> = (g, [, idx], _out, { axis }) => [
  ix.gather(g, idx!, axis),
  null,
];
