import * as mv from "../ops/movement.js";
import type { VjpRule } from "./primitive.js";

// VJP rules of the movement primitives (their shape rules and kernels: ./movement.ts).

export const reshapeVjp: VjpRule<"reshape"> = (g, [x]) => [mv.reshape(g, x!.shape)];

// a permutation's transpose is its inverse permutation
export const permuteVjp: VjpRule<"permute"> = (g, _x, _out, { axes }) => {
  const inverse = new Array<number>(axes.length);
  axes.forEach((a, i) => {
    inverse[a] = i;
  });
  return [mv.permute(g, inverse)];
};

// the engine sums the cotangent back to the input's shape (`unbroadcast`)
export const broadcastToVjp: VjpRule<"broadcastTo"> = (g) => [g];

// the transpose of taking a box is putting it back into zeros
export const sliceVjp: VjpRule<"slice"> = (g, [x], _out, { starts, ends }) => [
  mv.pad(
    g,
    starts,
    x!.shape.map((d, i) => d - ends[i]!),
  ),
];

// the transpose of padding is taking the original box back out
export const padVjp: VjpRule<"pad"> = (g, [x], _out, { before }) => [
  mv.slice(
    g,
    before,
    before.map((b, i) => b + x!.shape[i]!),
  ),
];

// each input's cotangent is its own slab of the output's cotangent along `axis`
export const concatVjp: VjpRule<"concat"> = (g, inputs, _out, { axis }) => {
  let start = 0;
  return inputs.map((x) => {
    const starts = g.shape.map((_, i) => (i === axis ? start : 0));
    start += x.shape[axis]!;
    return mv.slice(
      g,
      starts,
      g.shape.map((d, i) => (i === axis ? start : d)),
    );
  });
};
