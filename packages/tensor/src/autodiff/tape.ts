import type { Tensor } from "../core/tensor.js";
import type { Primitive, PrimitiveParams } from "../primitives/primitive.js";

/** One recorded primitive application: what its VJP rule needs later. */
export interface PrimitiveNode {
  readonly kind?: "primitive";
  readonly primitive: Primitive;
  readonly params: PrimitiveParams[Primitive];
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
}

/** One recorded fused composite: its backward is the backend's fused backward kernel. */
export interface FusedNode {
  readonly kind: "fused";
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** Input cotangents from the output's cotangent (null: no gradient for that input). */
  readonly vjp: (g: Tensor) => readonly (Tensor | null)[];
  /** Tensors the backward reads besides inputs and output (kept alive with the tape). */
  readonly saved: readonly Tensor[];
}

export type TapeNode = PrimitiveNode | FusedNode;

/**
 * A Wengert list for one `vjp`: the primitives applied to tensors that depend on its inputs, in
 * order. Tapes nest: while a backward pass runs inside an outer `vjp`, the primitives it applies are
 * recorded on the outer tape, which is how gradients of gradients work.
 */
export class Tape {
  readonly nodes: TapeNode[] = [];
  readonly tracked = new Set<Tensor>();
  /** Every tensor a node refers to: residuals its VJP rules will read, which scopes must not free. */
  readonly referenced = new Set<Tensor>();

  /** Starts tracking `leaf` as an input of this tape. */
  watch(leaf: Tensor): void {
    this.tracked.add(leaf);
  }
}

const active: Tape[] = [];

/** Runs `fn` with `tape` recording. */
export const recording = <T>(tape: Tape, fn: () => T): T => {
  active.push(tape);
  try {
    return fn();
  } finally {
    active.pop();
  }
};

/** Called by `bind` after each primitive: every active tape that tracks an input records the node. */
export const record = (node: TapeNode): void => {
  for (const tape of active) {
    if (node.inputs.some((x) => tape.tracked.has(x))) {
      tape.nodes.push(node);
      tape.tracked.add(node.output);
      for (const x of node.inputs) tape.referenced.add(x);
      if (node.kind === "fused") for (const x of node.saved) tape.referenced.add(x);
      tape.referenced.add(node.output);
    }
  }
};

export const isRecording = (): boolean => active.length > 0;

/** How many tapes are recording (more than one means nested differentiation). */
export const recordingDepth = (): number => active.length;

/** Whether an active tape still needs `t` (as a residual of a recorded node or a tracked value). */
export const heldByActiveTape = (t: Tensor): boolean =>
  active.some((tape) => tape.referenced.has(t) || tape.tracked.has(t));
