/**
 * JSON text as Python's `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"`, the
 * way transformers writes tokenizer_config.json and special_tokens_map.json. `JSON.stringify` cannot do
 * this alone: it lists integer-like keys ("50256") before the others, whatever order they were given in,
 * where Python sorts every key as a string ("10" < "2").
 */

const byCodePoint = (a: string, b: string): number => {
  // Python compares str by code point; JavaScript's < by UTF-16 unit (they differ only past U+FFFF)
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

const dump = (value: unknown, indent: string): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + dump(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => byCodePoint(a, b));
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${dump(v, inner)}`).join(",\n")}\n${indent}}`;
};

/**
 * `value` as Python's `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` plus a newline;
 * `undefined` fields are left out.
 * @example pythonJson({ b: 1, a: { "10": 0, "2": 0 } }) // '{\n  "a": {\n    "10": 0,\n    "2": 0\n  },\n  "b": 1\n}\n'
 */
export const pythonJson = (value: unknown): string => `${dump(value, "")}\n`;
