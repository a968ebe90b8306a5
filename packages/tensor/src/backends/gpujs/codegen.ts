import type { Shape } from "../../core/shape.js";

/**
 * Helpers that write GPU.js kernel sources. Shapes and strides are baked in as literals, so every
 * kernel is specialised (and cached) per shape: no index arithmetic on uniforms, loops with constant
 * bounds (which WebGL requires), nothing to pass but the input arrays.
 */

/** Statements declaring `${p}0..${p}{r-1}`: the multi-index of flat index `flat` in `shape`. */
export const decodeIndex = (shape: Shape, flat: string, p: string): string => {
  const r = shape.length;
  if (r === 0) return "";
  if (r === 1) return `const ${p}0 = ${flat};\n`;
  let s = `let ${p}r = ${flat};\n`;
  for (let d = r - 1; d >= 1; d--) {
    s += `const ${p}${d} = ${p}r % ${shape[d]};\n${p}r = Math.floor(${p}r / ${shape[d]});\n`;
  }
  return `${s}const ${p}0 = ${p}r;\n`;
};

/** `i0*12 + i2*3 + base`: a flat offset from index variables and strides (zero strides dropped). */
export const offsetExpr = (strides: readonly number[], names: readonly string[], base = ""): string => {
  const terms = strides.flatMap((s, i) => (s === 0 ? [] : [s === 1 ? names[i]! : `${names[i]}*${s}`]));
  if (base) terms.push(base);
  return terms.length === 0 ? "0" : terms.join(" + ");
};

/** Index variable names `${p}0..${p}{n-1}`. */
export const indexNames = (n: number, p: string): string[] => Array.from({ length: n }, (_, i) => `${p}${i}`);

/** A complete kernel function source. */
export const kernel = (args: readonly string[], body: string): string =>
  `function (${args.join(", ")}) {\n${body}}`;

/** A float literal GPU.js parses as a float (GLSL distinguishes 1 from 1.0). */
export const f = (x: number): string => (Number.isInteger(x) ? `${x}.0` : `${x}`);
