import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSafetensors } from "./parse.js";
import { serializeSafetensors } from "./serialize.js";

const encoder = new TextEncoder();

/** A file with a hand-written header (padded to 8 bytes) followed by `dataLength` data bytes. */
const fileWith = (header: string, dataLength: number): Uint8Array => {
  const json = encoder.encode(header);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + dataLength).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setUint32(0, padded, true);
  out.set(json, 8);
  return out;
};

const leftOf = (bytes: Uint8Array) => {
  const result = parseSafetensors(bytes);
  if (result._tag === "Right") throw new Error("expected a Left");
  return result.left;
};

describe("parseSafetensors", () => {
  it("reads the golden file of save_file({'a': torch.zeros(2)}) written by hand from the spec", () => {
    const bytes = fileWith('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 8);
    expect(bytes.length).toBe(72); // 8 + 56 (54-byte header + 2 spaces) + 8
    expect(parseSafetensors(bytes)).toEqual({
      _tag: "Right",
      right: { tensors: { a: { dtype: "F32", shape: [2], data: new Float32Array(2) } }, metadata: {} },
    });
  });

  it("returns aligned float32 data as a view, unaligned data as a copy", () => {
    const bytes = serializeSafetensors({ w: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } });
    const aligned = parseSafetensors(bytes);
    if (aligned._tag === "Left") throw new Error(aligned.left.message);
    expect(aligned.right.tensors.w!.data.buffer).toBe(bytes.buffer);

    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const unaligned = parseSafetensors(shifted);
    if (unaligned._tag === "Left") throw new Error(unaligned.left.message);
    expect(unaligned.right.tensors.w!.data).toEqual(new Float32Array([1, 2]));
    expect(unaligned.right.tensors.w!.data.buffer).not.toBe(shifted.buffer);
  });

  it("reads metadata and treats a tensor named __proto__ as an ordinary tensor", () => {
    const bytes = fileWith(
      '{"__metadata__":{"format":"pt"},"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}',
      1,
    );
    const result = parseSafetensors(bytes);
    if (result._tag === "Left") throw new Error(result.left.message);
    expect(result.right.metadata).toEqual({ format: "pt" });
    expect(Object.keys(result.right.tensors)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(result.right.tensors)).toBe(Object.prototype);
  });

  it.each([
    ["FileTooSmall", new Uint8Array(5), /5 bytes/],
    [
      "HeaderLengthOutOfBounds",
      new Uint8Array([100, 0, 0, 0, 0, 0, 0, 0, 0x7b]),
      /header length 100 goes past/,
    ],
    ["HeaderTooLarge", new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0]), /exceeds the 100000000-byte limit/],
    ["InvalidHeaderUtf8", new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe]), /UTF-8/],
    ["InvalidHeaderJson", fileWith('{"a":', 0), /not valid JSON/],
    ["InvalidHeaderJson", fileWith("[1, 2]", 0), /must be a JSON object/],
    ["InvalidMetadata", fileWith('{"__metadata__":{"step":3}}', 0), /must map strings to strings/],
    [
      "InvalidTensorInfo",
      fileWith('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}', 0),
      /"a".*"shape"/,
    ],
    [
      "InvalidTensorInfo",
      fileWith('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', 4),
      /begin <= end/,
    ],
    ["InvalidTensorInfo", fileWith('{"a":[1]}', 0), /expected \{ dtype, shape, data_offsets \}/],
    [
      "UnknownDtype",
      fileWith('{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', 1),
      /unsupported dtype "F8_E4M3"/,
    ],
    [
      "ShapeOffsetMismatch",
      fileWith('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', 8),
      /needs 12 bytes/,
    ],
    [
      "OffsetsOutOfBounds",
      fileWith('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 4),
      /truncated/,
    ],
    [
      "OverlappingOffsets",
      fileWith(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        8,
      ),
      /"b".*overlap tensor "a"/,
    ],
    ["NonContiguousOffsets", fileWith('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8), /gap/],
    [
      "TrailingBytes",
      fileWith('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 8),
      /cover 4 data bytes but the file has 8/,
    ],
  ] as const)("reports %s with an actionable message", (tag, bytes, message) => {
    const error = leftOf(bytes);
    expect(error._tag).toBe(tag);
    expect(error.message).toMatch(message);
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(["Left", "Right"]).toContain(parseSafetensors(bytes)._tag);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on small headers of random JSON", () => {
    fc.assert(
      fc.property(fc.json(), fc.nat({ max: 64 }), (json, dataLength) => {
        expect(["Left", "Right"]).toContain(parseSafetensors(fileWith(json, dataLength))._tag);
      }),
      { numRuns: 1000 },
    );
  });
});
