import * as el from "../ops/elementwise.js";
import * as mv from "../ops/movement.js";
import * as red from "../ops/reduction.js";
import type { VjpRule } from "./primitive.js";
import { reducedShape } from "./reduction.js";

// VJP rules of the reductions (their shape rules and kernels: ./reduction.ts).

// d/dx Σ x = 1: the cotangent is broadcast back over the reduced axes.
export const sumVjp: VjpRule<"sum"> = (g, [x], _out, p) => [
  mv.broadcastTo(mv.reshape(g, reducedShape(x!.shape, { ...p, keepdims: true })), x!.shape),
];

// The gradient of a max is shared equally among tied maxima (as PyTorch's amax).
export const maxVjp: VjpRule<"max"> = (g, [x], out, p) => {
  const keep = reducedShape(x!.shape, { ...p, keepdims: true });
  const isMax = el.cast(el.equal(x!, mv.reshape(out, keep)), "float32");
  const count = red.sum(isMax, p.axes, true);
  return [el.mul(isMax, el.div(mv.reshape(g, keep), count))];
};
