import { describe, expect, it } from "vitest";
import * as sg from "../index.js";
import { onBackend, testBackends } from "../test-utils/check.js";

const arr = (t: sg.Tensor) => Array.from(t.data());
const close = (a: number[], b: number[], tol = 1e-4) => {
  for (const [i, v] of a.entries()) expect(Math.abs(v - b[i]!)).toBeLessThan(tol);
};

describe.each(testBackends)("autodiff transforms on %s", (_name, backend) => {
  it("grad over a pytree returns a tree of the same structure; unused leaves get zeros", () => {
    onBackend(backend, () => {
      const params = {
        w: sg.tensor([
          [1, 2],
          [3, 4],
        ]),
        nested: [{ b: sg.tensor([0.5, -0.5]) }],
        unused: sg.tensor([7, 8, 9]),
        lr: 3,
      };
      const x = sg.tensor([[1, 1]]);
      const loss = (p: typeof params) => sg.sum(sg.add(sg.matmul(x, p.w), p.nested[0]!.b));
      const g = sg.grad(loss)(params);
      expect(arr(g.w)).toEqual([1, 1, 1, 1]);
      expect(arr(g.nested[0]!.b)).toEqual([1, 1]);
      expect(arr(g.unused)).toEqual([0, 0, 0]);
      expect(g.lr).toBe(3);
    });
  });

  it("valueAndGrad with hasAux and argnum", () => {
    onBackend(backend, () => {
      const f = (a: sg.Tensor, b: sg.Tensor): [sg.Tensor, { prod: sg.Tensor }] => {
        const prod = sg.mul(a, b);
        return [sg.sum(prod), { prod }];
      };
      const [[value, aux], gb] = sg.valueAndGrad(f, { hasAux: true, argnum: 1 })(
        sg.tensor([2, 3]),
        sg.tensor([5, 7]),
      );
      expect(value.item()).toBe(31);
      expect(arr(aux.prod)).toEqual([10, 21]);
      expect(arr(gb as sg.Tensor)).toEqual([2, 3]);
    });
  });

  it("gradients of gradients: d²/dx² x³ = 6x, and a mixed second derivative", () => {
    onBackend(backend, () => {
      const cube = (x: sg.Tensor) => sg.sum(sg.mul(sg.mul(x, x), x));
      const dcube = (x: sg.Tensor) => sg.sum(sg.grad(cube)(x));
      close(arr(sg.grad(dcube)(sg.tensor([1, 2, -3]))), [6, 12, -18]);
      // f(x, y) = sum(x² y): ∂/∂y (∂f/∂x summed) = 2x
      const fx = (y: sg.Tensor, x: sg.Tensor) =>
        sg.sum(sg.grad((xx: sg.Tensor) => sg.sum(sg.mul(sg.mul(xx, xx), y)))(x));
      close(arr(sg.grad(fx)(sg.tensor([1, 1]), sg.tensor([3, 4]))), [6, 8]);
    });
  });

  it("vjp returns the output and a pullback for any cotangent", () => {
    onBackend(backend, () => {
      const [y, pullback] = sg.vjp((a: sg.Tensor) => sg.exp(a), sg.tensor([0, 1]));
      const [ga] = pullback(sg.tensor([1, 2]));
      close(arr(y), [1, Math.E]);
      close(arr(ga), [1, 2 * Math.E]);
    });
  });

  it("grad rejects a non-scalar output with a clear message", () => {
    onBackend(backend, () => {
      expect(() => sg.grad((x: sg.Tensor) => sg.mul(x, 2))(sg.tensor([1, 2]))).toThrow(
        /f must return a float32 scalar, got a float32 tensor of shape \[2\]/,
      );
    });
  });

  it("shape errors name the op and both shapes", () => {
    onBackend(backend, () => {
      expect(() => sg.add(sg.zeros([2, 3]), sg.zeros([4]))).toThrow(
        "add: cannot broadcast shapes [2, 3] and [4]",
      );
      expect(() => sg.matmul(sg.zeros([2, 3]), sg.zeros([4, 5]))).toThrow(
        "matmul: inner dimensions differ: [2, 3] · [4, 5] (3 vs 4)",
      );
      expect(() => sg.exp(sg.zeros([2], "int32"))).toThrow(sg.DTypeError);
    });
  });
});
