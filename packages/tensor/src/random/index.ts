/**
 * Splittable counter-based PRNG (Threefry-2x32, JAX's construction) over plain typed arrays.
 */
export { bernoulli } from "./bernoulli.js";
export { randomBits } from "./bits.js";
export { dropoutMultiplier, dropoutThreshold } from "./dropout-mask.js";
export { erfinv } from "./erfinv.js";
export { foldIn, type InvalidKeyJson, type Key, key, keyFromJson, keyToJson, split } from "./key.js";
export { type NormalOptions, normal } from "./normal.js";
export { permutation } from "./permutation.js";
export { randint } from "./randint.js";
export { threefry2x32 } from "./threefry.js";
export { type UniformOptions, uniform } from "./uniform.js";
