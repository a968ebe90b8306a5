import { describe, expect, it, vi } from "vitest";
import * as sg from "../index.js";
import { onBackend, testBackends } from "../test-utils/check.js";

// fusedUpdate is the core's hook for updates whose math lives in another package (optim's AdamW): the
// core only picks the backend's kernel or the caller's reference and runs it through runKernel. Here
// a made-up update, "axpy" (a + 2b, and b negated), stands in for such a package.
const axpyParams = { alpha: 2 };
const reference = (a: sg.Tensor, b: sg.Tensor) => [sg.add(a, sg.mul(b, axpyParams.alpha)), sg.neg(b)];

describe.each(testBackends)("fusedUpdate on %s", (_name, base) => {
  // The kernel computes on the host and uploads its results: a new buffer per output, as the
  // contract asks, counted as live by the backend.
  const kernel: sg.FusedUpdateKernel<typeof axpyParams> = {
    supports: (inputs) => inputs.every((x) => x.dtype === "float32"),
    run: ([a, b], { alpha }, outputs) => {
      const [x, y] = [a!, b!].map((t) => base.read(t.buffer, t.dtype, sg.sizeOf(t.shape)));
      const sum = Float32Array.from(x!, (v, i) => v + alpha * y![i]!);
      return [
        base.upload(sum, outputs[0]!.dtype),
        base.upload(
          Float32Array.from(y!, (v) => -v),
          "float32",
        ),
      ];
    },
  };
  const withKernel: sg.Backend = { ...base, fusedUpdates: { axpy: kernel } };
  const run = (a: sg.Tensor, b: sg.Tensor) =>
    sg.fusedUpdate("axpy", [a, b], axpyParams, [a, b], () => reference(a, b));

  it("runs the backend's kernel when it has one: the reference's values, new tensors, inputs untouched", () =>
    onBackend(withKernel, () =>
      sg.scope(() => {
        const spy = vi.spyOn(kernel, "run");
        const [a, b] = [sg.tensor([[1, 2, 3]]), sg.tensor([[0.5, -1, 4]])];
        const before = base.liveBuffers();
        const [sum, neg] = run(a!, b!);
        expect(spy).toHaveBeenCalledTimes(1);
        expect(base.liveBuffers() - before).toBe(2);
        expect(sum!.shape).toEqual([1, 3]);
        expect(sum!.toArray()).toEqual([[2, 0, 11]]);
        expect(neg!.toArray()).toEqual([[-0.5, 1, -4]]);
        expect(a!.toArray()).toEqual([[1, 2, 3]]);
        spy.mockRestore();
      }),
    ));

  it("runs the reference without a kernel of that name, when the kernel declines, and under vjp", () =>
    sg.scope(() => {
      const spy = vi.spyOn(kernel, "run");
      onBackend(base, () => {
        const [sum] = run(sg.tensor([1]), sg.tensor([2]));
        expect(sum!.item()).toBe(5);
      });
      onBackend(withKernel, () => {
        const ints = sg.tensor([1], [1], "int32");
        expect(
          sg.fusedUpdate("axpy", [ints, ints], axpyParams, [ints, ints], () => ["ref" as never]),
        ).toEqual(["ref"]);
        // d(a + 2b)/db = 2, through the reference
        const db = sg.grad((b: sg.Tensor) => sg.sum(run(sg.tensor([1, 1]), b)[0]!))(sg.tensor([3, 4]));
        expect(db.toArray()).toEqual([2, 2]);
      });
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }));

  it("names itself when an input was disposed, and in the profile", () =>
    onBackend(withKernel, () =>
      sg.scope(() => {
        const [a, b] = [sg.tensor([1]), sg.tensor([2])];
        b!.dispose();
        expect(() => run(a!, b!)).toThrow(/axpy/);
        sg.resetProfile();
        sg.setProfiling(true);
        try {
          run(a!, sg.tensor([3]));
        } finally {
          sg.setProfiling(false);
        }
        expect(sg.profileSnapshot().map((r) => [r.primitive, r.calls])).toContainEqual(["axpy (fused)", 1]);
        sg.resetProfile();
      }),
    ));
});
