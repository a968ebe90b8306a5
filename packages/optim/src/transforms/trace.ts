import { add, mul, treeMap, zerosLike } from "@scratchgrad/tensor";
import { zipLeaves } from "../tree-utils.js";
import type { GradientTransformation } from "../types.js";

/** The momentum buffer of `trace`, shaped like the parameters. */
export interface TraceState {
  readonly trace: unknown;
}

/**
 * Momentum as PyTorch's SGD computes it (no dampening): `buf ← momentum·buf + g`, update `buf`, or with
 * `nesterov` the update `g + momentum·buf`. The buffer starts at zero, so the first update is `g`, as in
 * PyTorch where the buffer is initialised to the first gradient.
 * @example
 * const sgdMomentum = chain(trace({ momentum: 0.9 }), scaleByLearningRate(0.1));
 */
export const trace = ({
  momentum,
  nesterov = false,
}: {
  momentum: number;
  nesterov?: boolean;
}): GradientTransformation<TraceState> => ({
  init: (params) => ({ trace: treeMap(params, zerosLike) }),
  update: (updates, state) => {
    const buffer = zipLeaves([updates, state.trace], ([g, b]) => add(mul(b!, momentum), g!));
    const out = nesterov ? zipLeaves([updates, buffer], ([g, b]) => add(g!, mul(b!, momentum))) : buffer;
    return [out, { trace: buffer }] as const;
  },
  hyperparameters: { name: "trace", momentum, nesterov },
});
