/**
 * GPT-2's byte <-> unicode table. Byte-level BPE works on bytes, but vocabularies are JSON strings, so
 * each byte is shown as a printable character: the printable Latin-1 bytes stand for themselves and
 * the other 68 (control characters, space, 0x7F-0xA0, 0xAD) are moved to U+0100 onwards. A space (0x20)
 * therefore reads "Ġ" (U+0120) and a newline "Ċ" (U+010A).
 */

const printable = (b: number): boolean =>
  (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);

/** `BYTE_TO_CHAR[b]` is the character code that stands for byte `b` (all in the BMP). */
export const BYTE_TO_CHAR: Uint16Array = (() => {
  const table = new Uint16Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) table[b] = printable(b) ? b : next++;
  return table;
})();

/** `CHAR_TO_BYTE[c]` is the byte that character code `c` stands for, or -1 (`c` < 0x144). */
export const CHAR_TO_BYTE: Int16Array = (() => {
  const table = new Int16Array(0x144).fill(-1);
  for (let b = 0; b < 256; b++) table[BYTE_TO_CHAR[b]!] = b;
  return table;
})();

/** The 256 characters of the byte-level alphabet, as one-character strings, sorted by code point. */
export const byteLevelAlphabet = (): string[] =>
  Array.from(BYTE_TO_CHAR)
    .sort((a, b) => a - b)
    .map((c) => String.fromCharCode(c));

/**
 * UTF-8 encodes `s` and spells each byte with its byte-level character: "héllo" -> "hÃ©llo".
 * When `unitOfByte` is given, `unitOfByte[k]` receives the UTF-16 index in `s` of the character that
 * byte k belongs to (used to map token offsets back to the text).
 */
export const toByteLevel = (s: string, unitOfByte?: number[]): string => {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    const start = i;
    if (c < 0x80) {
      out += String.fromCharCode(BYTE_TO_CHAR[c]!);
      unitOfByte?.push(start);
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
        c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        i++;
      } else {
        c = 0xfffd; // a lone surrogate has no UTF-8 form; TextEncoder (and HF) write U+FFFD instead
      }
    }
    let bytes: number[];
    if (c < 0x800) bytes = [0xc0 | (c >> 6), 0x80 | (c & 63)];
    else if (c < 0x10000) bytes = [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
    else bytes = [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
    for (const b of bytes) {
      out += String.fromCharCode(BYTE_TO_CHAR[b]!);
      unitOfByte?.push(start);
    }
  }
  return out;
};

// ignoreBOM: a leading U+FEFF is text like any other (Rust's from_utf8_lossy keeps it too).
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * The inverse of `toByteLevel` over a sequence of tokens, as HF's ByteLevel decoder does it: a token made
 * only of byte-level characters gives its bytes, any other token (an added token such as "[MASK]" with
 * characters outside the alphabet) gives its own UTF-8 bytes; the bytes are decoded leniently (invalid
 * sequences become U+FFFD, as Rust's `String::from_utf8_lossy`).
 */
export const fromByteLevel = (tokens: readonly string[]): string => {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (const token of tokens) {
    const start = bytes.length;
    let ok = true;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      const b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c]! : -1;
      if (b < 0) {
        ok = false;
        break;
      }
      bytes.push(b);
    }
    if (!ok) {
      bytes.length = start;
      for (const b of encoder.encode(token)) bytes.push(b);
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
};
