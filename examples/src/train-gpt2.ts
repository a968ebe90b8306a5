/**
 * `pnpm --filter examples train:gpt2`: the lab's causal-LM half — GPT-2 trained from scratch on
 * WikiText-2 with a tokenizer trained on the same split. On `wikitext-2-v1` (the classic word-level
 * benchmark, rare words already `<unk>`) the default is its word-level vocabulary (every whitespace
 * word, one <eos> per line), whose token stream is exactly that of the PyTorch reference
 * (../shared/bench/torch_wt2_word.py), so the perplexities compare directly; on the raw text a
 * byte-level BPE. The defaults fit a 2-core laptop CPU in 45 minutes (see docs/walkthrough.md for the
 * measured runs); `--model gpt2` gives the lab's full-size model.
 */
import { isEntryPoint } from "./cli/main.js";
import { runLab } from "./lab.js";
import { gpt2Lab } from "./train/gpt2-lab.js";

export { gpt2Lab };

if (isEntryPoint(import.meta.url)) await runLab(gpt2Lab, process.argv.slice(2));
