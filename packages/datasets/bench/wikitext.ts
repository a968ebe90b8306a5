// Loads WikiText-2 from a local copy, checks row and word counts against the reference numbers, and times
// the tokenize -> groupTexts -> batchOf path with a whitespace word tokenizer (the word-level benchmark's).
// Usage: WIKITEXT_DIR=/path/to/data pnpm bench   (or: tsx bench/wikitext.ts --data-dir /path/to/data)
import os from "node:os";
import * as E from "fp-ts/lib/Either.js";
import {
  batchOf,
  column,
  countWordsOfRows,
  type Dataset,
  type EncodeBatch,
  epochBatches,
  formatWikitextError,
  groupTexts,
  loadWikitextSplit,
  type SplitName,
  splitWords,
  type TextRow,
  tokenizeDataset,
  type WikitextConfig,
  wikitextOptionsFromEnv,
} from "../src/node.js";

// Every bench names the CPU it ran on (timings differ ~2x between this project's Intel and AMD machines).
console.log(
  `machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, node ${process.version}`,
);

const flag = process.argv.indexOf("--data-dir");
const options = {
  ...wikitextOptionsFromEnv(process.env),
  ...(flag >= 0 ? { dataDir: process.argv[flag + 1]! } : {}),
  download: process.env.WIKITEXT_DOWNLOAD === "1",
};
if (!options.envDir && !options.dataDir) {
  console.log("bench skipped: set WIKITEXT_DIR or pass --data-dir (WikiText-2 is never read from the repo)");
  process.exit(0);
}

const time = async <A>(f: () => Promise<A> | A): Promise<[A, number]> => {
  const t0 = performance.now();
  const a = await f();
  return [a, performance.now() - t0];
};

const loaded: Partial<Record<`${WikitextConfig}/${SplitName}`, Dataset<TextRow>>> = {};
for (const config of ["wikitext-2-v1", "wikitext-2-raw-v1"] as const) {
  for (const split of ["train", "validation", "test"] as const) {
    const [result, ms] = await time(() => loadWikitextSplit(config, split, options)());
    if (E.isLeft(result)) {
      console.log(JSON.stringify({ config, split, skipped: formatWikitextError(result.left).slice(0, 100) }));
      continue;
    }
    loaded[`${config}/${split}`] = result.right;
    const texts = column(result.right, "text");
    console.log(
      JSON.stringify({
        config,
        split,
        rows: result.right.numRows,
        words: countWordsOfRows(texts),
        loadMs: Math.round(ms),
      }),
    );
  }
}

const train = loaded["wikitext-2-v1/train"];
if (train) {
  const vocab = new Map<string, number>();
  const encodeBatch: EncodeBatch = (texts) =>
    texts.map((t) => {
      const ids = [...splitWords(t), "<eos>"].map((w) => {
        if (!vocab.has(w)) vocab.set(w, vocab.size);
        return vocab.get(w)!;
      });
      return { ids, specialTokensMask: new Uint8Array(ids.length) };
    });
  const [tokenized, tokenizeMs] = await time(() => tokenizeDataset(encodeBatch)(train));
  const [blocks, groupMs] = await time(() => groupTexts({ blockSize: 128, labels: true })(tokenized));
  const [wholeBlocks] = await time(() =>
    groupTexts({ blockSize: 128, batchSize: tokenized.numRows })(tokenized),
  );
  const batches = epochBatches(blocks.numBlocks, 8, 0);
  const [, batchMs] = await time(() => {
    for (const indices of batches) batchOf(blocks, indices);
  });
  console.log(
    JSON.stringify({
      groupTexts: {
        blockSize: 128,
        batchSize: 1000,
        numBlocks: blocks.numBlocks,
        wholeCorpusBlocks: wholeBlocks.numBlocks,
      },
      tokenizeMs: Math.round(tokenizeMs),
      groupMs: Math.round(groupMs),
      epochOfBatchOfMs: Math.round(batchMs),
      batches: batches.length,
    }),
  );
}
