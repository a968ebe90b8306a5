import { gpt2Config, sinusoidalPositions } from "@scratchgrad/nn";
import { random } from "@scratchgrad/tensor";
import { expect, test } from "vitest";
import { causalLmTask } from "./causal-lm.js";

const config = gpt2Config("gpt2-tiny", {
  vocab_size: 40,
  n_embd: 16,
  n_head: 2,
  n_layer: 1,
  n_positions: 32,
});

test("positionInit sinusoidal starts wpe from sinusoids at initializer_range; the rest is HF's init", () => {
  const hf = causalLmTask(config).init(random.key(0));
  const sin = causalLmTask(config, { positionInit: "sinusoidal" }).init(random.key(0));
  expect(sin.transformer.wpe.weight.shape).toEqual([32, 16]);
  expect(sin.transformer.wpe.weight.data()).toEqual(
    sinusoidalPositions(32, 16, config.initializer_range).data(),
  );
  expect(sin.transformer.wpe.weight.data()).not.toEqual(hf.transformer.wpe.weight.data());
  expect(sin.transformer.wte.weight.data()).toEqual(hf.transformer.wte.weight.data());
  expect(sin.transformer.h[0]!.attn.c_attn.weight.data()).toEqual(
    hf.transformer.h[0]!.attn.c_attn.weight.data(),
  );
  expect(
    causalLmTask(config, { positionInit: "normal" }).init(random.key(0)).transformer.wpe.weight.data(),
  ).toEqual(hf.transformer.wpe.weight.data());
});
