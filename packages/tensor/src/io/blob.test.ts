import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { readSafetensorsBlob, safetensorsBlob } from "./blob.js";
import type { RawTensorInput } from "./dtype.js";
import { serializeSafetensors } from "./serialize.js";

const tensorsArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc
    .array(fc.float({ noNaN: true }), { maxLength: 12 })
    .map((v): RawTensorInput => ({ dtype: "F32", shape: [v.length], data: Float32Array.from(v) })),
  { maxKeys: 4 },
);

describe("safetensors Blobs", () => {
  it("a Blob holds exactly the bytes serializeSafetensors makes, and reads back to the same tensors", async () => {
    await fc.assert(
      fc.asyncProperty(tensorsArb, async (tensors) => {
        const blob = safetensorsBlob(tensors, { format: "pt" });
        if (E.isLeft(blob)) throw new Error(blob.left.message);
        const bytes = new Uint8Array(await blob.right.arrayBuffer());
        expect(bytes).toEqual(serializeSafetensors(tensors, { format: "pt" }));
        for (const source of [blob.right, bytes.buffer, bytes]) {
          const parsed = await readSafetensorsBlob(source)();
          if (E.isLeft(parsed)) throw new Error(parsed.left.message);
          expect(parsed.right.metadata).toEqual({ format: "pt" });
          for (const [name, t] of Object.entries(tensors))
            expect(parsed.right.tensors[name]!.data).toEqual(t.data);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("a damaged File's error names the file", async () => {
    const file = new File([new Uint8Array([1, 2, 3])], "model.safetensors");
    const parsed = await readSafetensorsBlob(file)();
    expect(E.isLeft(parsed) && parsed.left.message.startsWith("model.safetensors: ")).toBe(true);
  });

  it("invalid metadata is a Left, not a throw", () => {
    const blob = safetensorsBlob({}, { step: 3 as unknown as string });
    expect(E.isLeft(blob) && blob.left._tag).toBe("InvalidMetadata");
  });
});
