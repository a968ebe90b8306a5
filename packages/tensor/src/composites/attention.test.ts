import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ShapeError } from "../core/errors.js";
import { tensor } from "../ops/creation.js";
import { checkOp, inputArb, onBackend, RUNS, testBackends } from "../test-utils/check.js";
import type { Ref } from "../test-utils/reference.js";
import { MASK_VALUE, multiHeadAttention } from "./attention.js";

interface Case {
  readonly b: number;
  readonly t: number;
  readonly nHead: number;
  readonly d: number;
  readonly causal: boolean;
  readonly lengths: readonly number[] | null; // real tokens per row (padding after), or no mask
  readonly dropout: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    b: fc.integer({ min: 1, max: 2 }),
    t: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 7 })),
    nHead: fc.integer({ min: 1, max: 2 }),
    d: fc.constantFrom(2, 4), // 4: the wasm kernel's multiple; 2: its fallback to the decomposition
    causal: fc.boolean(),
    padded: fc.boolean(),
    dropout: fc.boolean(),
  })
  .chain((c) =>
    fc.record({
      base: fc.constant(c),
      // At least one real token per row, so no query row is entirely masked.
      lengths: fc.array(fc.integer({ min: 1, max: c.t }), { minLength: c.b, maxLength: c.b }),
    }),
  )
  .map(({ base: { padded, ...c }, lengths }) => ({ ...c, lengths: padded ? lengths : null }));

/** A fixed dropout multiplier [B, H, T, T]: ~30% zeros, survivors scaled by 1/0.7. */
const dropValues = (c: Case): number[] =>
  Array.from({ length: c.b * c.nHead * c.t * c.t }, (_, i) => ((i * 7 + 3) % 10 < 3 ? 0 : 1 / 0.7));

/** float64 multi-head attention over q, k, v [B, T, C]. */
const attentionRef = (c: Case, q: Ref, k: Ref, v: Ref): Ref => {
  const { b: nb, t, nHead, d } = c;
  const cols = nHead * d;
  const drop = dropValues(c);
  const out = new Float64Array(nb * t * cols);
  const at = (b: number, i: number, h: number, e: number) => (b * t + i) * cols + h * d + e;
  for (let b = 0; b < nb; b++) {
    for (let h = 0; h < nHead; h++) {
      for (let i = 0; i < t; i++) {
        const s = Array.from({ length: t }, (_, j) => {
          if ((c.causal && j > i) || (c.lengths && j >= c.lengths[b]!)) return -Infinity;
          let dot = 0;
          for (let e = 0; e < d; e++) dot += q.data[at(b, i, h, e)]! * k.data[at(b, j, h, e)]!;
          return dot / Math.sqrt(d);
        });
        const m = Math.max(...s);
        const z = s.reduce((acc, x) => acc + Math.exp(x - m), 0);
        for (let e = 0; e < d; e++) {
          let y = 0;
          for (let j = 0; j < t; j++) {
            const mult = c.dropout ? drop[((b * nHead + h) * t + i) * t + j]! : 1;
            y += (Math.exp(s[j]! - m) / z) * mult * v.data[at(b, j, h, e)]!;
          }
          out[at(b, i, h, e)] = y;
        }
      }
    }
  }
  return { data: out, shape: q.shape };
};

describe.each(testBackends)("multiHeadAttention on %s", (_, backend) => {
  test("values and gradients of q, k and v (causal, padded, dropout, odd T, T = 1)", () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => {
          const shape = [c.b, c.t, c.nHead * c.d];
          return fc.record({
            c: fc.constant(c),
            inputs: fc.tuple(inputArb(shape), inputArb(shape), inputArb(shape)),
          });
        }),
        ({ c, inputs }) => {
          onBackend(backend, () =>
            checkOp({
              inputs,
              impl: (q, k, v) => {
                const keyMask = c.lengths
                  ? tensor(
                      Float32Array.from({ length: c.b * c.t }, (_, i) =>
                        i % c.t < c.lengths![Math.floor(i / c.t)]! ? 0 : MASK_VALUE,
                      ),
                      [c.b, c.t],
                    )
                  : undefined;
                const dropoutMultiplier = c.dropout
                  ? tensor(Float32Array.from(dropValues(c)), [c.b, c.nHead, c.t, c.t])
                  : undefined;
                return multiHeadAttention(q!, k!, v!, {
                  nHead: c.nHead,
                  causal: c.causal,
                  ...(keyMask ? { keyMask } : {}),
                  ...(dropoutMultiplier ? { dropoutMultiplier } : {}),
                });
              },
              ref: (q, k, v) => attentionRef(c, q!, k!, v!),
            }),
          );
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  test("a shape mismatch names the op and both shapes", () => {
    onBackend(backend, () => {
      const q = tensor(new Float32Array(2 * 3 * 4), [2, 3, 4]);
      const k = tensor(new Float32Array(2 * 3 * 8), [2, 3, 8]);
      expect(() => multiHeadAttention(q, k, k, { nHead: 2, causal: true })).toThrow(ShapeError);
      expect(() => multiHeadAttention(q, k, k, { nHead: 2, causal: true })).toThrow(
        /q \[2,3,4\], k \[2,3,8\]/,
      );
      expect(() => multiHeadAttention(q, q, q, { nHead: 3, causal: false })).toThrow(
        /4 channels do not split into 3 heads/,
      );
    });
  });
});
