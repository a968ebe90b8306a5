import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
// Test-only cross-check against the tensor package's full safetensors codec (not exported publicly).
import { parseSafetensors, serializeSafetensors } from "../../../tensor/src/io/index.js";
import { decodeSafetensors, encodeSafetensors, type StateTensorData } from "./safetensors.js";

const tensors: Record<string, StateTensorData> = {
  "1.mu.h.0.weight": { dtype: "F32", shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-8, 0, -0]) },
  "0": { dtype: "F32", shape: [], data: Float32Array.from([7]) },
  "1.nu.b": { dtype: "F32", shape: [3], data: Float32Array.from([4, 5, 6]) },
  "2.ids": { dtype: "I32", shape: [2], data: Int32Array.from([-1, 9]) },
};

describe("minimal safetensors codec", () => {
  it("writes the same bytes as the tensor package's Hugging Face-compatible writer", () => {
    const metadata = { format: "x", step: "3" };
    expect(encodeSafetensors(tensors, metadata)).toEqual(serializeSafetensors(tensors, metadata));
  });

  it("round-trips, and the tensor package's parser reads what it writes", () => {
    const bytes = encodeSafetensors(tensors, { step: "3" });
    const ours = decodeSafetensors(bytes);
    const theirs = parseSafetensors(bytes);
    expect(E.isRight(ours) && ours.right.tensors).toEqual(tensors);
    expect(E.isRight(ours) && ours.right.metadata).toEqual({ step: "3" });
    expect(E.isRight(theirs) && theirs.right.tensors).toEqual(tensors);
  });

  it("rejects truncated and malformed files with a reason", () => {
    const bytes = encodeSafetensors(tensors);
    expect(decodeSafetensors(bytes.subarray(0, 5))).toEqual(
      E.left(expect.stringMatching(/fewer than the 8-byte/)),
    );
    expect(decodeSafetensors(bytes.subarray(0, bytes.length - 4))).toEqual(
      E.left(expect.stringMatching(/do not match shape/)),
    );
  });
});
