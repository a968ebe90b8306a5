import { sameShape } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { add } from "../ops/elementwise.js";
import { reshape } from "../ops/movement.js";
import { sum } from "../ops/reduction.js";
import type { Primitive, VjpRule } from "../primitives/primitive.js";
import { vjpTable } from "../primitives/vjp-table.js";
import { heldByActiveTape, type Tape } from "./tape.js";

/**
 * Sums a cotangent of a broadcast result back to the shape of the input that was broadcast: over the
 * leading dims the input lacked and over its size-1 dims. The one place unbroadcasting happens.
 */
export const unbroadcast = (ct: Tensor, shape: readonly number[]): Tensor => {
  if (sameShape(ct.shape, shape)) return ct;
  const lead = ct.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < ct.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && ct.shape[i] !== 1)) axes.push(i);
  }
  return reshape(axes.length ? sum(ct, axes) : ct, shape);
};

/**
 * Reverse pass over a tape: walks its nodes backwards from the outputs' cotangents, applying each
 * primitive's VJP rule and accumulating input cotangents. Returns the cotangent of every tracked
 * tensor that received one. Cotangents of intermediates are released as soon as they are consumed.
 */
export const backward = (
  tape: Tape,
  outputs: readonly Tensor[],
  cotangents: readonly Tensor[],
): Map<Tensor, Tensor> => {
  const cts = new Map<Tensor, Tensor>();
  // How many map entries refer to each cotangent tensor (a rule may hand the same one to two inputs).
  const holders = new Map<Tensor, number>();
  const owned = new Set<Tensor>(); // created here, so ours to release
  const hold = (t: Tensor): void => {
    holders.set(t, (holders.get(t) ?? 0) + 1);
  };
  const drop = (t: Tensor): void => {
    const n = (holders.get(t) ?? 0) - 1;
    holders.set(t, n);
    if (n <= 0 && owned.has(t) && !heldByActiveTape(t)) {
      holders.delete(t);
      owned.delete(t);
      t.dispose();
    }
  };
  const accumulate = (x: Tensor, ct: Tensor): void => {
    const prev = cts.get(x);
    if (prev === undefined) {
      cts.set(x, ct);
      hold(ct);
      return;
    }
    const total = add(prev, ct);
    owned.add(total);
    cts.set(x, total);
    hold(total);
    drop(prev);
    // `ct` itself was never held: release it unless something else holds it
    if (!holders.get(ct) && owned.has(ct) && !heldByActiveTape(ct)) {
      owned.delete(ct);
      ct.dispose();
    }
  };

  for (const [i, y] of outputs.entries()) accumulate(y, cotangents[i]!);
  const produced = new Set(tape.nodes.map((n) => n.output));
  const leaves = new Set<Tensor>([...tape.tracked].filter((t) => !produced.has(t)));

  for (let n = tape.nodes.length - 1; n >= 0; n--) {
    const node = tape.nodes[n]!;
    const g = cts.get(node.output);
    if (g === undefined) continue;
    const inputCts =
      node.kind === "fused"
        ? node.vjp(g)
        : (vjpTable[node.primitive] as VjpRule<Primitive>)(g, node.inputs, node.output, node.params as never);
    node.inputs.forEach((x, i) => {
      const ct = inputCts[i];
      if (!ct || !tape.tracked.has(x) || x.dtype !== "float32") return;
      const shaped = unbroadcast(ct, x.shape);
      if (ct !== g) owned.add(ct);
      if (shaped !== ct) owned.add(shaped);
      accumulate(x, shaped);
      if (shaped !== ct && ct !== g && !holders.get(ct) && !heldByActiveTape(ct)) {
        owned.delete(ct);
        ct.dispose();
      }
    });
    // The output's cotangent is consumed; keep it only if a leaf is the output itself.
    if (!leaves.has(node.output)) {
      cts.delete(node.output);
      drop(g);
    }
  }
  return cts;
};
