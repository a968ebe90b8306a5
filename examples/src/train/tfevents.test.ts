/**
 * The TensorBoard event format: CRC-32C against RFC 3720's vectors, and records read back by an
 * independent reader written here (TFRecord framing with its checksums, then protobuf fields by number).
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TrainerContext } from "./callbacks.js";
import { defaultLoggingDir, tensorBoardCallback } from "./tensorboard-callback.js";
import { crc32c, fileVersionRecord, maskedCrc32c, scalarsRecord } from "./tfevents.js";

/** Protobuf fields of a message: number → values (varints as bigint, fixed as bytes, lengths as bytes). */
const fields = (b: Uint8Array): Map<number, (bigint | Uint8Array)[]> => {
  const out = new Map<number, (bigint | Uint8Array)[]>();
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const byte = b[i++]!;
      v |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (!(byte & 0x80)) return v;
    }
  };
  while (i < b.length) {
    const key = Number(varint());
    const wire = key & 7;
    let value: bigint | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      value = b.slice(i, i + n);
      i += n;
    } else if (wire === 2) {
      const n = Number(varint());
      value = b.slice(i, i + n);
      i += n;
    } else throw new Error(`wire type ${wire}`);
    out.set(key >> 3, [...(out.get(key >> 3) ?? []), value]);
  }
  return out;
};

/** The events of a file: each record's length and data checked against their masked CRCs. */
const readRecords = (file: Uint8Array): Uint8Array[] => {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  for (let at = 0; at < file.length; ) {
    const length = Number(view.getBigUint64(at, true));
    expect(view.getUint32(at + 8, true)).toBe(maskedCrc32c(file.subarray(at, at + 8)));
    const data = file.subarray(at + 12, at + 12 + length);
    expect(view.getUint32(at + 12 + length, true)).toBe(maskedCrc32c(data));
    records.push(data);
    at += 16 + length;
  }
  return records;
};

// a view, not `.buffer`: a Buffer's slices share one pooled ArrayBuffer
const viewOf = (u: Uint8Array) => new DataView(u.buffer, u.byteOffset, u.byteLength);

const decodeEvent = (data: Uint8Array) => {
  const f = fields(data);
  const wallTime = viewOf(f.get(1)![0] as Uint8Array).getFloat64(0, true);
  const step = Number((f.get(2)?.[0] as bigint | undefined) ?? 0n);
  const version = f.get(3) && new TextDecoder().decode(f.get(3)![0] as Uint8Array);
  const scalars = (f.get(5) ? (fields(f.get(5)![0] as Uint8Array).get(1) ?? []) : []).map((v) => {
    const value = fields(v as Uint8Array);
    return {
      tag: new TextDecoder().decode(value.get(1)![0] as Uint8Array),
      value: viewOf(value.get(2)![0] as Uint8Array).getFloat32(0, true),
    };
  });
  return { wallTime, step, version, scalars };
};

describe("CRC-32C and TFRecord framing", () => {
  it("matches RFC 3720's test vectors", () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
  });

  it("the first event is file_version brain.Event:2", () => {
    const [event] = readRecords(fileVersionRecord(1234.5)).map(decodeEvent);
    expect(event).toEqual({ wallTime: 1234.5, step: 0, version: "brain.Event:2", scalars: [] });
  });

  it("scalar events read back: tags, float32 values, int64 steps, wall times", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 4e9, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.array(fc.record({ tag: fc.string({ minLength: 1 }), value: fc.float({ noNaN: true }) }), {
          maxLength: 5,
        }),
        (wallTime, step, scalars) => {
          const [event] = readRecords(scalarsRecord(wallTime, step, scalars)).map(decodeEvent);
          expect(event!.wallTime).toBe(wallTime);
          expect(event!.step).toBe(step);
          expect(event!.scalars).toEqual(scalars.map((s) => ({ tag: s.tag, value: Math.fround(s.value) })));
        },
      ),
    );
  });
});

describe("tensorBoardCallback", () => {
  it("names the directory as HF does and writes the logs and evaluations as HF's rewrite_logs tags them", async () => {
    expect(defaultLoggingDir("out", new Date(2026, 11, 2, 6, 5, 9), "box")).toBe(
      "out/runs/Dec02_06-05-09_box",
    );
    const dir = await mkdtemp(join(tmpdir(), "sg-tb-"));
    const cb = tensorBoardCallback(join(dir, "runs", "x"), "box");
    const ctx = (step: number) => ({ state: { global_step: step } }) as unknown as TrainerContext;
    await cb.onTrainBegin!(ctx(0));
    await cb.onLog!(ctx(2), { step: 2, epoch: 0.5, loss: 3.25, learning_rate: 1e-3, grad_norm: 0.75 });
    await cb.onEvaluate!(ctx(4), {
      evalLoss: 3,
      perplexity: Math.exp(3),
      wordPerplexity: 40,
      seconds: 0.5,
      totalNll: 300,
      scoredTokens: 100,
      epoch: 1,
      epochTrainLoss: 3.1,
    });
    const [name] = await readdir(join(dir, "runs", "x"));
    expect(name).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.box\\.${process.pid}\\.0$`));
    const events = readRecords(await readFile(join(dir, "runs", "x", name!))).map(decodeEvent);
    expect(events.map((e) => e.version ?? e.step)).toEqual(["brain.Event:2", 2, 4]);
    expect(events[1]!.scalars).toEqual([
      { tag: "train/loss", value: 3.25 },
      { tag: "train/grad_norm", value: 0.75 },
      { tag: "train/learning_rate", value: Math.fround(1e-3) },
      { tag: "train/epoch", value: 0.5 },
    ]);
    expect(events[2]!.scalars.map((s) => s.tag)).toEqual([
      "eval/loss",
      "eval/perplexity",
      "eval/word_perplexity",
      "eval/runtime",
      "train/epoch",
    ]);
    await rm(dir, { recursive: true, force: true });
  });
});
