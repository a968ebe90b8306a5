import { BERT_DEFAULTS, GPT2_DEFAULTS } from "@scratchgrad/nn";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { parseConfigOverrides } from "./config-overrides.js";

const left = (r: E.Either<string, unknown>): string => (E.isLeft(r) ? r.left : "(no error)");

describe("parseConfigOverrides (HF --config_overrides)", () => {
  it("reads each value with the type of the key's default", () => {
    expect(
      parseConfigOverrides(
        "resid_pdrop=0, embd_pdrop=0.05,n_layer=6,use_cache=false,activation_function=relu,n_inner=null",
        GPT2_DEFAULTS,
      ),
    ).toEqual(
      E.right({
        resid_pdrop: 0,
        embd_pdrop: 0.05,
        n_layer: 6,
        use_cache: false,
        activation_function: "relu",
        n_inner: null,
      }),
    );
    expect(parseConfigOverrides("n_inner=512", GPT2_DEFAULTS)).toEqual(E.right({ n_inner: 512 }));
    expect(parseConfigOverrides("hidden_dropout_prob=0", BERT_DEFAULTS)).toEqual(
      E.right({ hidden_dropout_prob: 0 }),
    );
    expect(parseConfigOverrides("  ", GPT2_DEFAULTS)).toEqual(E.right({}));
  });

  it("refuses unknown keys, wrong types, repeats, reserved keys and malformed pairs, naming them", () => {
    expect(left(parseConfigOverrides("n_layers=6", GPT2_DEFAULTS))).toMatch(
      /"n_layers" is not a key of this model's config \(.*n_layer,/,
    );
    expect(left(parseConfigOverrides("n_layer=6.5", GPT2_DEFAULTS))).toMatch(
      /n_layer=6.5: expected an integer/,
    );
    expect(left(parseConfigOverrides("resid_pdrop=abc", GPT2_DEFAULTS))).toMatch(/expected a number/);
    expect(left(parseConfigOverrides("use_cache=maybe", GPT2_DEFAULTS))).toMatch(/expected true or false/);
    expect(left(parseConfigOverrides("n_inner=big", GPT2_DEFAULTS))).toMatch(/an integer or null/);
    expect(left(parseConfigOverrides("n_layer=2,n_layer=3", GPT2_DEFAULTS))).toMatch(/given twice/);
    expect(left(parseConfigOverrides("n_layer", GPT2_DEFAULTS))).toMatch(/expected key=value pairs/);
    expect(
      left(parseConfigOverrides("vocab_size=100", GPT2_DEFAULTS, { vocab_size: "it is the tokenizer's" })),
    ).toMatch(/"vocab_size" cannot be overridden: it is the tokenizer's/);
  });
});
