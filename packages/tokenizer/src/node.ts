/**
 * @scratchgrad/tokenizer under Node (the `node` export condition, or `@scratchgrad/tokenizer/node`): the
 * whole package plus files on disk (tokenizer.json, and save_pretrained's directory). A browser bundle
 * gets ./index.ts: `parseTokenizerJson(text)` reads a tokenizer.json string, `pretrainedTokenizerFiles`
 * gives the three files as text to download.
 */
export * from "./index.js";
export { loadTokenizer, saveTokenizer, writeTextAtomically } from "./io/files.js";
export { loadPretrainedTokenizer, savePretrainedTokenizer } from "./io/pretrained.js";
