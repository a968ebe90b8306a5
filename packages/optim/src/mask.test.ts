import { tensor, zeros } from "@scratchgrad/tensor";
import { describe, expect, it } from "vitest";
import { decayMask, defaultDecayPredicate, huggingFaceDecayPredicate, isNormOrBias } from "./mask.js";
import { adamw } from "./optimizers.js";

// A GPT-2-shaped tree (HF names) and BERT-style names: which parameters HF's Trainer decays.
const gpt2 = {
  wte: { weight: zeros([8, 4]) },
  wpe: { weight: zeros([4, 4]) },
  h: [
    {
      ln_1: { weight: zeros([4]), bias: zeros([4]) },
      attn: {
        c_attn: { weight: zeros([4, 12]), bias: zeros([12]) },
        c_proj: { weight: zeros([4, 4]), bias: zeros([4]) },
      },
      ln_2: { weight: zeros([4]), bias: zeros([4]) },
      mlp: {
        c_fc: { weight: zeros([4, 16]), bias: zeros([16]) },
        c_proj: { weight: zeros([16, 4]), bias: zeros([4]) },
      },
    },
  ],
  ln_f: { weight: zeros([4]), bias: zeros([4]) },
};

describe("decayMask", () => {
  it("decays exactly GPT-2's matrices and embeddings (what HF's Trainer decays)", () => {
    const mask = decayMask(gpt2);
    expect(Object.keys(mask).filter((k) => mask[k])).toEqual([
      "wte.weight",
      "wpe.weight",
      "h.0.attn.c_attn.weight",
      "h.0.attn.c_proj.weight",
      "h.0.mlp.c_fc.weight",
      "h.0.mlp.c_proj.weight",
    ]);
    expect(decayMask(gpt2, huggingFaceDecayPredicate)).toEqual(mask);
  });

  it.each([
    ["embeddings.LayerNorm.weight", true],
    ["encoder.layer.0.attention.output.LayerNorm.weight", true],
    ["encoder.layer.0.attention.self.query.bias", true],
    ["model.layers.0.input_layernorm.weight", true],
    ["model.norm.weight", true],
    ["decoder.final_layer_norm.weight", true],
    ["h.3.ln_2.weight", true],
    ["encoder.layer.0.attention.self.query.weight", false],
    ["cls.predictions.transform.dense.weight", false],
    ["normal_init.weight", false],
  ])("isNormOrBias(%s) = %s", (path, expected) => {
    expect(isNormOrBias(path)).toBe(expected);
  });

  it("the default rule also exempts 1-D parameters HF would decay (nanoGPT's dim ≥ 2 rule)", () => {
    const scale = zeros([4]);
    expect(huggingFaceDecayPredicate("layer.scale", scale)).toBe(true);
    expect(defaultDecayPredicate("layer.scale", scale)).toBe(false);
  });

  it("adamw leaves masked-out parameters undecayed and errors on a mask that misses a parameter", () => {
    const params = { w: tensor([[1, 1]]), b: tensor([1, 1]) };
    const opt = adamw({ learningRate: 0.1, weightDecay: 0.5, mask: decayMask(params) });
    const zeroGrads = { w: zeros([1, 2]), b: zeros([2]) };
    const [u] = opt.update(zeroGrads, opt.init(params), params);
    // zero gradient: Adam's part is 0, so the update is −lr·wd·p on w only
    expect(u.w.toArray()).toEqual([[expect.closeTo(-0.05, 7), expect.closeTo(-0.05, 7)]]);
    expect(Array.from(u.b.data(), Math.abs)).toEqual([0, 0]); // −lr·0: signed zeros
    const bad = adamw({ learningRate: 0.1, mask: { w: true } });
    expect(() => bad.update(zeroGrads, bad.init(params), params)).toThrow(
      /no entry for parameter "b".*decayMask\(params\)/,
    );
  });
});
