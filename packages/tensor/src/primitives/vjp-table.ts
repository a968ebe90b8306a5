import { binaryVjps, castVjp, compareVjps, stopGradientVjp, unaryVjps, whereVjp } from "./elementwise-vjp.js";
import { gatherVjp, scatterAddVjp } from "./indexing-vjp.js";
import { matmulVjp } from "./matmul-vjp.js";
import { broadcastToVjp, concatVjp, padVjp, permuteVjp, reshapeVjp, sliceVjp } from "./movement-vjp.js";
import type { VjpTable } from "./primitive.js";
import { maxVjp, sumVjp } from "./reduction-vjp.js";

/**
 * Every primitive's VJP rule, keyed by name: what the backward pass reads. Kept apart from the rule
 * table (./table.ts) because VJPs call operations, and operations call `bind`, which reads the rules.
 */
export const vjpTable: VjpTable = {
  ...unaryVjps,
  ...binaryVjps,
  ...compareVjps,
  where: whereVjp,
  cast: castVjp,
  stopGradient: stopGradientVjp,
  sum: sumVjp,
  max: maxVjp,
  matmul: matmulVjp,
  reshape: reshapeVjp,
  permute: permuteVjp,
  broadcastTo: broadcastToVjp,
  slice: sliceVjp,
  pad: padVjp,
  concat: concatVjp,
  gather: gatherVjp,
  scatterAdd: scatterAddVjp,
};
