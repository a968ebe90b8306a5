/**
 * TensorBoard's event file format, written from scratch: no maintained npm library writes it (the one
 * JavaScript writer, `@tensorflow/tfjs-node`'s `summaryFileWriter`, needs TensorFlow's native binary).
 * A file is a sequence of TFRecords — `uint64 length`, `uint32 masked CRC32C(length)`, `data`,
 * `uint32 masked CRC32C(data)`, little-endian — each holding one `tensorflow.Event` protobuf. The first
 * event names the format (`file_version: "brain.Event:2"`); each later one carries scalar summaries.
 */

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum TFRecord uses
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32C of `bytes` (RFC 3720's iSCSI checksum).
 * @example crc32c(new TextEncoder().encode("123456789")) // 0xe3069283
 */
export const crc32c = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC32C_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** TFRecord's masked CRC (`((crc >> 15) | (crc << 17)) + 0xa282ead8`), so CRCs of CRCs stay strong. */
export const maskedCrc32c = (bytes: Uint8Array): number => {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
};

/** One TFRecord around `data`. */
export const tfRecord = (data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
};

// protobuf wire format: a field's key is (number << 3) | wire type (0 varint, 1 fixed64, 2 bytes, 5 fixed32)
const varint = (value: number | bigint): number[] => {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
};
const bytesField = (field: number, data: Uint8Array): number[] => [
  ...varint((field << 3) | 2),
  ...varint(data.length),
  ...data,
];
const fixed = (bytes: number, write: (view: DataView) => void): number[] => {
  const b = new Uint8Array(bytes);
  write(new DataView(b.buffer));
  return [...b];
};
const utf8 = new TextEncoder();

/** A scalar for TensorBoard's scalar dashboard: its tag (`train/loss`) and value. */
export interface Scalar {
  readonly tag: string;
  readonly value: number;
}

/**
 * The bytes of a `tensorflow.Event`: `wall_time` (1, double), `step` (2, int64), and either
 * `file_version` (3) or a `Summary` (5) whose `Value`s (1) hold `tag` (1) and `simple_value` (2, float).
 */
export const eventProto = (
  wallTime: number,
  step: number,
  content: { readonly fileVersion: string } | { readonly scalars: readonly Scalar[] },
): Uint8Array => {
  const head = [
    ...varint((1 << 3) | 1),
    ...fixed(8, (v) => v.setFloat64(0, wallTime, true)),
    ...varint(2 << 3),
    ...varint(step),
  ];
  if ("fileVersion" in content)
    return Uint8Array.from([...head, ...bytesField(3, utf8.encode(content.fileVersion))]);
  const values = content.scalars.flatMap((s) =>
    bytesField(
      1,
      Uint8Array.from([
        ...bytesField(1, utf8.encode(s.tag)),
        ...varint((2 << 3) | 5),
        ...fixed(4, (v) => v.setFloat32(0, s.value, true)),
      ]),
    ),
  );
  return Uint8Array.from([...head, ...bytesField(5, Uint8Array.from(values))]);
};

/** The file's first record: the format version TensorBoard checks. */
export const fileVersionRecord = (wallTime: number): Uint8Array =>
  tfRecord(eventProto(wallTime, 0, { fileVersion: "brain.Event:2" }));

/** One record of scalars at `step`. */
export const scalarsRecord = (wallTime: number, step: number, scalars: readonly Scalar[]): Uint8Array =>
  tfRecord(eventProto(wallTime, step, { scalars }));
