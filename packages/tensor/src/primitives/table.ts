import {
  binaryPrimitives,
  castPrimitive,
  comparePrimitives,
  stopGradientPrimitive,
  unaryPrimitives,
  wherePrimitive,
} from "./elementwise.js";
import { gatherPrimitive, scatterAddPrimitive } from "./indexing.js";
import { matmulPrimitive } from "./matmul.js";
import {
  broadcastToPrimitive,
  concatPrimitive,
  padPrimitive,
  permutePrimitive,
  reshapePrimitive,
  slicePrimitive,
} from "./movement.js";
import type { PrimitiveTable } from "./primitive.js";
import { maxPrimitive, sumPrimitive } from "./reduction.js";

/**
 * Every primitive's shape rule and GPU.js kernel, keyed by name: what `bind` and the backends read.
 * The VJP rules are in `vjpTable` (./vjp-table.ts), which only the backward pass reads.
 */
export const primitiveTable: PrimitiveTable = {
  ...unaryPrimitives,
  ...binaryPrimitives,
  ...comparePrimitives,
  where: wherePrimitive,
  cast: castPrimitive,
  stopGradient: stopGradientPrimitive,
  sum: sumPrimitive,
  max: maxPrimitive,
  matmul: matmulPrimitive,
  reshape: reshapePrimitive,
  permute: permutePrimitive,
  broadcastTo: broadcastToPrimitive,
  slice: slicePrimitive,
  pad: padPrimitive,
  concat: concatPrimitive,
  gather: gatherPrimitive,
  scatterAdd: scatterAddPrimitive,
};
