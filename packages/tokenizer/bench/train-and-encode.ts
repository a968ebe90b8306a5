/**
 * Speed of byte-level BPE training and encoding on the WikiText-2 train split (10.8 MB).
 *
 *   pnpm --filter @scratchgrad/tokenizer bench
 *
 * Reads `$WIKITEXT_DIR/wiki.train.tokens` (default: ../shared/data/wikitext-2-v1 beside the repository).
 * Targets: training an 8,192-token BPE in at most 30 s, encoding at 5 MB/s or more.
 */

import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/lib/Either.js";
import { formatTokenizerError, parseTokenizerJson, trainByteLevelBpe, trainWordPiece } from "../src/index.js";

// Every bench names the CPU it ran on (timings differ ~2x between this project's Intel and AMD machines).
console.log(
  `machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, node ${process.version}`,
);

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const dataDir = process.env.WIKITEXT_DIR ?? join(repoRoot, "..", "shared", "data", "wikitext-2-v1");
const file = join(dataDir, "wiki.train.tokens");
if (!existsSync(file)) {
  console.error(`WikiText-2 not found at ${file}; set WIKITEXT_DIR to the folder holding wiki.train.tokens`);
  process.exit(1);
}

const text = readFileSync(file, "utf8");
const megabytes = Buffer.byteLength(text, "utf8") / 1e6;
// One text per line, each keeping its newline (as HF's train_from_files reads a file).
const lines = text.split(/(?<=\n)/);
console.log(`WikiText-2 train: ${megabytes.toFixed(1)} MB, ${lines.length} lines (${file})`);

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

let t0 = process.hrtime.bigint();
const bpe = trainByteLevelBpe(lines, { vocabSize: 8192 });
const trainSeconds = seconds(t0);
console.log(`byte-level BPE, 8,192 tokens: trained in ${trainSeconds.toFixed(2)} s (target <= 30 s)`);

// Encoding: the whole text in one call, then line by line (encodeBatch), each starting with an empty
// word cache (a tokenizer freshly read from its JSON).
const json = bpe.toJson();
const reload = () => {
  const r = parseTokenizerJson(json);
  if (E.isLeft(r)) throw new Error(formatTokenizerError(r.left));
  return r.right;
};

let tok = reload();
t0 = process.hrtime.bigint();
const whole = tok.encode(text);
const wholeSeconds = seconds(t0);
console.log(
  `encode (one call): ${whole.ids.length.toLocaleString()} tokens in ${wholeSeconds.toFixed(2)} s = ` +
    `${(megabytes / wholeSeconds).toFixed(1)} MB/s (target >= 5 MB/s)`,
);

tok = reload();
t0 = process.hrtime.bigint();
const batch = tok.encodeBatch(lines);
const batchSeconds = seconds(t0);
const batchTokens = batch.reduce((n, e) => n + e.ids.length, 0);
console.log(
  `encodeBatch (per line): ${batchTokens.toLocaleString()} tokens in ${batchSeconds.toFixed(2)} s = ` +
    `${(megabytes / batchSeconds).toFixed(1)} MB/s`,
);
console.log(`bytes per token: ${((megabytes * 1e6) / whole.ids.length).toFixed(2)}`);

t0 = process.hrtime.bigint();
const wp = trainWordPiece(lines, { vocabSize: 8192 });
console.log(`WordPiece, 8,192 tokens: trained in ${seconds(t0).toFixed(2)} s`);
t0 = process.hrtime.bigint();
const wpWhole = wp.encode(text);
const wpSeconds = seconds(t0);
console.log(
  `WordPiece encode (one call): ${wpWhole.ids.length.toLocaleString()} tokens in ${wpSeconds.toFixed(2)} s = ` +
    `${(megabytes / wpSeconds).toFixed(1)} MB/s`,
);
