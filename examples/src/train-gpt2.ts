/**
 * `pnpm --filter examples train:gpt2`: the lab's causal-LM half — GPT-2 trained from scratch on
 * WikiText-2 with a byte-level BPE trained on the same split. The defaults fit a 2-core laptop CPU
 * (see docs/walkthrough.md for the measured run); `--model gpt2` gives the lab's full-size model.
 */
import { GPT2_PRESETS, gpt2Config } from "@scratchgrad/nn";
import { trainByteLevelBpe } from "@scratchgrad/tokenizer";
import { labFlags, runLab } from "./lab.js";
import { causalLmTask } from "./tasks/causal-lm.js";

const models = ["gpt2-small-cpu", ...Object.keys(GPT2_PRESETS).filter((m) => m !== "gpt2-small-cpu")];

await runLab(
  {
    title: "GPT-2 (causal LM) trained from scratch on WikiText-2",
    script: "train:gpt2",
    objective: "causal-lm",
    flags: labFlags({
      model: "gpt2-small-cpu",
      models,
      epochs: 1.5,
      lr: 1e-3,
      vocab: 8192,
      outputDir: "output/gpt2-wikitext2",
      warmupRatio: 0.05,
    }),
    trainTokenizer: (texts, vocabSize) =>
      trainByteLevelBpe(texts, { vocabSize, minFrequency: 2, specialTokens: ["<|endoftext|>"] }),
    tokenizerDescription: (t) =>
      `byte-level BPE (GPT-2 style), vocabulary ${t.vocabSize.toLocaleString("en-US")}`,
    makeTask: (model, tokenizer, blockSize) =>
      causalLmTask(
        gpt2Config(
          model as keyof typeof GPT2_PRESETS,
          {
            vocab_size: tokenizer.vocabSize,
            n_positions: Math.max(blockSize, model === "gpt2" ? 1024 : blockSize),
            bos_token_id: tokenizer.bosTokenId ?? 0,
            eos_token_id: tokenizer.eosTokenId ?? 0,
          } as never,
        ),
      ),
  },
  process.argv.slice(2),
);
