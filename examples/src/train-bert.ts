/**
 * `pnpm --filter examples train:bert`: the lab's masked-LM half — BERT trained from scratch on
 * WikiText-2 with dynamic masking (15%, 80/10/10) and a cased WordPiece tokenizer trained on the same
 * split. `--model bert-base-cased` gives the lab's full-size model.
 */
import { isEntryPoint } from "./cli/main.js";
import { runLab } from "./lab.js";
import { bertLab } from "./train/bert-lab.js";

export { bertLab };

if (isEntryPoint(import.meta.url)) await runLab(bertLab, process.argv.slice(2));
