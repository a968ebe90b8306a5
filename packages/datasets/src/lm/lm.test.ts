import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { column, type Dataset, fromColumns, fromRows, toRows } from "../dataset/dataset.js";
import { mapBatched, select } from "../dataset/ops.js";
import { formatTable } from "../dataset/showRandomElements.js";
import { epochBatches } from "./batches.js";
import { batchOf, blockAt, blocksToDataset } from "./blocks.js";
import { contiguousShards, groupTexts, groupTextsBatch } from "./groupTexts.js";
import { type EncodeBatch, type TokenizedRow, tokenizeDataset } from "./tokenize.js";

// Rows of distinct, increasing token ids (so order and provenance are visible); masks derived from ids.
const tokenizedArb = fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 80 }).map((lengths) => {
  let next = 0;
  const ids = lengths.map((n) => Int32Array.from({ length: n }, () => next++));
  return fromColumns<TokenizedRow>({
    input_ids: ids,
    attention_mask: ids
      .map((r) => r.map((v) => (v % 5 === 0 ? 0 : 1)) as unknown as Uint8Array)
      .map((r) => Uint8Array.from(r)),
    special_tokens_mask: ids.map((r) => Uint8Array.from(r, (v) => (v % 3 === 0 ? 1 : 0))),
  });
});

const asArrays = (ds: Dataset<TokenizedRow>) =>
  fromColumns({
    input_ids: column(ds, "input_ids").map((r) => [...r]),
    attention_mask: column(ds, "attention_mask").map((r) => [...r]),
    special_tokens_mask: column(ds, "special_tokens_mask").map((r) => [...r]),
  });

// HF's pipeline literally: shard contiguously, batched map of group_texts over each shard, concatenate.
const reference = (ds: Dataset<TokenizedRow>, blockSize: number, batchSize: number, numShards: number) =>
  contiguousShards(ds.numRows, numShards).flatMap(([from, to]) => {
    const shard = select(Array.from({ length: to - from }, (_, i) => from + i))(asArrays(ds));
    return toRows(mapBatched(groupTextsBatch(blockSize), { batchSize })(shard));
  });

const settings = fc.record({
  blockSize: fc.integer({ min: 1, max: 16 }),
  batchSize: fc.integer({ min: 1, max: 20 }),
  numShards: fc.integer({ min: 1, max: 5 }),
});

describe("groupTexts", () => {
  it("equals HF's group_texts run through a batched map, shard by shard", () => {
    fc.assert(
      fc.property(tokenizedArb, settings, (ds, { blockSize, batchSize, numShards }) => {
        const blocks = groupTexts({ blockSize, batchSize, numShards, labels: true })(ds);
        const expected = reference(ds, blockSize, batchSize, numShards);
        const got = toRows(blocksToDataset(blocks)).map((r) => ({
          input_ids: [...r.input_ids],
          attention_mask: [...r.attention_mask],
          special_tokens_mask: [...r.special_tokens_mask],
          labels: [...r.labels!],
        }));
        expect(got).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps floor(batch tokens / blockSize) blocks per batch, in concatenation order", () => {
    fc.assert(
      fc.property(tokenizedArb, settings, (ds, { blockSize, batchSize }) => {
        const blocks = groupTexts({ blockSize, batchSize })(ds);
        const rows = column(ds, "input_ids");
        const expected: number[] = [];
        for (let s = 0; s < rows.length; s += batchSize) {
          const batch = rows.slice(s, s + batchSize).flatMap((r) => [...r]);
          expected.push(...batch.slice(0, batch.length - (batch.length % blockSize)));
        }
        expect(blocks.inputIds.length).toBe(blocks.numBlocks * blockSize);
        expect([...blocks.inputIds]).toEqual(expected);
        // ids are increasing across rows, so in-order concatenation means strictly increasing within a batch
      }),
    );
  });

  it("carries each token's masks with it", () => {
    fc.assert(
      fc.property(tokenizedArb, settings, (ds, { blockSize, batchSize }) => {
        const blocks = groupTexts({ blockSize, batchSize })(ds);
        blocks.inputIds.forEach((id, i) => {
          expect(blocks.specialTokensMask[i]).toBe(id % 3 === 0 ? 1 : 0);
          expect(blocks.attentionMask[i]).toBe(id % 5 === 0 ? 0 : 1);
        });
      }),
      { numRuns: 50 },
    );
  });

  it("drops each batch's remainder separately (the lab's batch_size=1000 default)", () => {
    const ds = fromColumns<TokenizedRow>({
      input_ids: [Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6)],
      attention_mask: [Uint8Array.of(1, 1, 1), Uint8Array.of(1, 1, 1)],
      special_tokens_mask: [Uint8Array.of(0, 0, 0), Uint8Array.of(0, 0, 0)],
    });
    expect([...groupTexts({ blockSize: 2, batchSize: 1 })(ds).inputIds]).toEqual([1, 2, 4, 5]);
    expect([...groupTexts({ blockSize: 2 })(ds).inputIds]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("labels are an independent copy of inputIds", () => {
    const ds = fromColumns<TokenizedRow>({
      input_ids: [Int32Array.of(1, 2)],
      attention_mask: [Uint8Array.of(1, 1)],
      special_tokens_mask: [Uint8Array.of(0, 0)],
    });
    const blocks = groupTexts({ blockSize: 2, labels: true })(ds);
    expect(blocks.labels).toEqual(blocks.inputIds);
    expect(blocks.labels!.buffer).not.toBe(blocks.inputIds.buffer);
    expect(groupTexts({ blockSize: 2 })(ds).labels).toBeUndefined();
  });

  it("contiguousShards matches HF's Dataset.shard(contiguous=True)", () => {
    expect(contiguousShards(10, 3)).toEqual([
      [0, 4],
      [4, 7],
      [7, 10],
    ]);
    expect(contiguousShards(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(contiguousShards(0, 4)).toEqual([[0, 0]]);
  });

  it("rejects a bad blockSize with the value", () => {
    expect(() =>
      groupTexts({ blockSize: 0 })(
        fromColumns<TokenizedRow>({ input_ids: [], attention_mask: [], special_tokens_mask: [] }),
      ),
    ).toThrow(/blockSize must be an integer >= 1, got 0/);
  });
});

describe("batchOf / blockAt / epochBatches", () => {
  const blocks = {
    blockSize: 2,
    numBlocks: 3,
    inputIds: Int32Array.of(10, 11, 20, 21, 30, 31),
    attentionMask: Uint8Array.of(1, 1, 1, 0, 1, 1),
    specialTokensMask: Uint8Array.of(1, 0, 0, 0, 0, 1),
  };

  it("gathers blocks row-major into [B * T]", () => {
    expect([...batchOf(blocks, [2, 0, 2])]).toEqual([30, 31, 10, 11, 30, 31]);
    const mask = batchOf(blocks, [1], "attentionMask");
    expect(mask).toBeInstanceOf(Uint8Array);
    expect([...mask]).toEqual([1, 0]);
    expect([...blockAt(blocks, 1).inputIds]).toEqual([20, 21]);
  });

  it("names the problem: index out of range, labels missing", () => {
    expect(() => batchOf(blocks, [3])).toThrow(/index 3 is outside 0..2/);
    expect(() => batchOf(blocks, [0], "labels")).toThrow(/labels: true/);
  });

  it("epochBatches visits every block once per epoch, fixed by the seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer(),
        (n, b, seed) => {
          const all = epochBatches(n, b, seed, { dropLast: false });
          expect([...all.flatMap((x) => [...x])].sort((p, q) => p - q)).toEqual(
            Array.from({ length: n }, (_, i) => i),
          );
          const dropped = epochBatches(n, b, seed);
          expect(dropped).toHaveLength(Math.floor(n / b));
          expect(dropped).toEqual(all.slice(0, dropped.length));
        },
      ),
    );
  });
});

describe("tokenizeDataset", () => {
  // A stand-in BERT-like encoder: [CLS]=1, characters as ids, [SEP]=2; empty text still gets both specials.
  const encodeBatch: EncodeBatch = (texts) =>
    texts.map((t) => {
      const ids = [1, ...[...t].map((c) => c.charCodeAt(0)), 2];
      return { ids, specialTokensMask: ids.map((_, i) => (i === 0 || i === ids.length - 1 ? 1 : 0)) };
    });

  it("encodes the text column into typed arrays and removes it, like the lab's remove_columns", () => {
    const ds = fromRows([{ text: "" }, { text: " ab\n" }]);
    const tokenized = tokenizeDataset(encodeBatch, { batchSize: 1 })(ds);
    expect(tokenized.columnNames).toEqual(["input_ids", "attention_mask", "special_tokens_mask"]);
    expect([...column(tokenized, "input_ids")[1]!]).toEqual([1, 32, 97, 98, 10, 2]);
    expect([...column(tokenized, "special_tokens_mask")[0]!]).toEqual([1, 1]);
    expect([...column(tokenized, "attention_mask")[1]!]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(formatTable(tokenized)).toContain("[1, 32, 97, 98, 10, 2]");
  });

  it("tokenize then group: a whole small pipeline", () => {
    const ds = fromRows(Array.from({ length: 30 }, (_, i) => ({ text: `line ${i}\n` })));
    const blocks = groupTexts({ blockSize: 8, batchSize: 7 })(tokenizeDataset(encodeBatch)(ds));
    expect(blocks.numBlocks).toBeGreaterThan(0);
    expect(blocks.inputIds[0]).toBe(1); // starts at the first row's [CLS]
  });

  it("rejects encoders that return mismatched lengths", () => {
    const bad: EncodeBatch = (texts) => texts.map(() => ({ ids: [1, 2], specialTokensMask: [0] }));
    expect(() => tokenizeDataset(bad)(fromRows([{ text: "a" }]))).toThrow(
      /specialTokensMask has 1 entries but ids has 2/,
    );
    expect(() => tokenizeDataset(encodeBatch)(fromRows([{ body: "a" }]))).toThrow(/no column "text"/);
  });
});
