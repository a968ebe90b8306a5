/**
 * Every layer's forward value against a float64 reference and its VJP against central finite
 * differences of that reference (the adjoint identity in tensor's `checkOp`), over random inputs.
 */
import { add, fromTypedArray, ones, random, tensor } from "@scratchgrad/tensor";
import { checkOp, type Input, inputArb, reference } from "@scratchgrad/tensor/testing";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  attentionRef,
  geluErfRef,
  geluTanhRef,
  layerNormRef,
  linearRef,
  type Ref,
} from "../test-utils/reference.js";
import { attention, causalMask, keyPaddingMask, MASK_VALUE, paddingMask } from "./attention.js";
import { dropout } from "./dropout.js";
import { embedding } from "./embedding.js";
import { layerNorm } from "./layer-norm.js";
import { linear } from "./linear.js";
import { mlp } from "./mlp.js";

const { gather, map, zipN } = reference;
const RUNS = 4;
const ints = (values: number[], shape: number[]): Input => ({ shape, values, dtype: "int32" });

describe("linear", () => {
  for (const layout of ["in-out", "out-in"] as const) {
    test(`${layout}: forward and gradient match float64 references`, () => {
      const wShape = layout === "in-out" ? [4, 5] : [5, 4];
      fc.assert(
        fc.property(fc.tuple(inputArb([2, 3, 4]), inputArb(wShape), inputArb([5])), (inputs) => {
          checkOp({
            inputs,
            impl: (x, weight, bias) => linear.apply({ weight: weight!, bias }, x!, layout),
            ref: (x, w, b) => linearRef(x!, w!, b!, layout),
          });
        }),
        { numRuns: RUNS },
      );
    });
  }

  test("spec shapes follow the layout: Conv1D [in, out], nn.Linear [out, in]", () => {
    expect(linear.spec({ inFeatures: 3, outFeatures: 7, layout: "in-out" }).weight.shape).toEqual([3, 7]);
    expect(linear.spec({ inFeatures: 3, outFeatures: 7, layout: "out-in" }).weight.shape).toEqual([7, 3]);
    expect(
      linear.spec({ inFeatures: 3, outFeatures: 7, layout: "out-in", bias: false }).bias,
    ).toBeUndefined();
  });
});

test("embedding: lookup and scatter-add gradient", () => {
  fc.assert(
    fc.property(
      inputArb([6, 3]),
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 6, maxLength: 6 }),
      (table, ids) => {
        checkOp({
          inputs: [table, ints(ids, [2, 3])],
          impl: (w, i) => embedding.apply({ weight: w! }, i!),
          ref: (w) => gather(w!, ids, [2, 3], 0),
        });
      },
    ),
    { numRuns: RUNS },
  );
});

test("embedding: paddingIdx row starts at zero", () => {
  const e = embedding.init(random.key(0), { numEmbeddings: 5, dim: 4, paddingIdx: 2 });
  const rows = e.weight.toArray() as number[][];
  expect(rows[2]).toEqual([0, 0, 0, 0]);
  expect(rows[1]!.some((v) => v !== 0)).toBe(true);
});

test("layerNorm: forward and gradient", () => {
  fc.assert(
    fc.property(fc.tuple(inputArb([2, 3, 5]), inputArb([5]), inputArb([5])), (inputs) => {
      checkOp({
        inputs,
        impl: (x, w, b) => layerNorm.apply({ weight: w!, bias: b! }, x!, 1e-5),
        ref: (x, w, b) => layerNormRef(x!, w!, b!, 1e-5),
        gradTol: 5e-3,
      });
    }),
    { numRuns: RUNS },
  );
});

describe("attention", () => {
  const eval_ = { training: false };
  test("causal: forward and gradient with respect to q, k and v", () => {
    fc.assert(
      fc.property(fc.tuple(inputArb([2, 4, 6]), inputArb([2, 4, 6]), inputArb([2, 4, 6])), (inputs) => {
        checkOp({
          inputs,
          impl: (q, k, v) => attention(q!, k!, v!, { nHead: 2, causal: true }, eval_),
          ref: (q, k, v) => attentionRef(q!, k!, v!, 2, (_, i, j) => j <= i),
        });
      }),
      { numRuns: RUNS },
    );
  });

  test("padding mask: keys at padding get no weight, in every row", () => {
    const valid = [
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ];
    fc.assert(
      fc.property(fc.tuple(inputArb([2, 4, 6]), inputArb([2, 4, 6]), inputArb([2, 4, 6])), (inputs) => {
        checkOp({
          inputs,
          impl: (q, k, v) =>
            attention(
              q!,
              k!,
              v!,
              { nHead: 3, keyMask: keyPaddingMask(tensor(valid, undefined, "int32")) },
              eval_,
            ),
          ref: (q, k, v) => attentionRef(q!, k!, v!, 3, (b, _, j) => valid[b]![j] === 1),
        });
      }),
      { numRuns: RUNS },
    );
  });

  test("causal + padding masks add; incremental queries see every earlier key", () => {
    const mask = add(causalMask(2, 4), paddingMask(tensor([[1, 0, 1, 1]], undefined, "int32"))); // [1, 1, 2, 4]
    const m = mask.toArray() as number[][][][];
    expect(m[0]![0]).toEqual([
      [0, MASK_VALUE, 0, MASK_VALUE],
      [0, MASK_VALUE, 0, 0],
    ]);
  });

  test("cross-length: Tq queries over Tk keys", () => {
    fc.assert(
      fc.property(fc.tuple(inputArb([1, 2, 4]), inputArb([1, 5, 4]), inputArb([1, 5, 4])), (inputs) => {
        checkOp({
          inputs,
          impl: (q, k, v) => attention(q!, k!, v!, { nHead: 2, causal: true }, eval_),
          ref: (q, k, v) => attentionRef(q!, k!, v!, 2, (_, i, j) => j <= i + 3),
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe("mlp", () => {
  const eval_ = { training: false };
  const cases = [
    { layout: "in-out", activation: "gelu_new", g: geluTanhRef },
    { layout: "out-in", activation: "gelu", g: geluErfRef },
  ] as const;
  for (const { layout, activation, g } of cases) {
    test(`${layout} ${activation}: forward and gradient`, () => {
      const [fcShape, projShape] =
        layout === "in-out"
          ? [
              [4, 8],
              [8, 4],
            ]
          : [
              [8, 4],
              [4, 8],
            ];
      fc.assert(
        fc.property(
          fc.tuple(
            inputArb([2, 3, 4]),
            inputArb(fcShape!),
            inputArb([8]),
            inputArb(projShape!),
            inputArb([4]),
          ),
          (inputs) => {
            checkOp({
              inputs,
              impl: (x, w1, b1, w2, b2) =>
                mlp(
                  { fc: { weight: w1!, bias: b1 }, proj: { weight: w2!, bias: b2 } },
                  x!,
                  { layout, activation },
                  eval_,
                ),
              ref: (x, w1, b1, w2, b2) =>
                linearRef(map(linearRef(x!, w1!, b1!, layout), g), w2!, b2!, layout),
            });
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});

describe("dropout", () => {
  test("training: gradient is the scaled mask; the mask depends only on the key", () => {
    const ctx = { training: true, key: random.key(7) };
    const scaled = dropout(ones([3, 8]), 0.25, ctx).data(); // mask / (1 − p)
    expect(new Set(scaled)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    expect(dropout(ones([3, 8]), 0.25, ctx).data()).toEqual(scaled);
    const maskRef: Ref = { data: Float64Array.from(scaled), shape: [3, 8] };
    fc.assert(
      fc.property(inputArb([3, 8]), (x) => {
        checkOp({
          inputs: [x],
          impl: (t) => dropout(t!, 0.25, ctx),
          ref: (t) => zipN([t!, maskRef], (a, s) => a * s),
        });
      }),
      { numRuns: RUNS },
    );
  });

  test("evaluation is the identity; training without a key says how to fix it", () => {
    const x = fromTypedArray(new Float32Array([1, 2, 3]), [3], "float32");
    expect(dropout(x, 0.5, { training: false })).toBe(x);
    expect(() => dropout(x, 0.5, { training: true })).toThrow(/ctx\.key is missing/);
  });
});
