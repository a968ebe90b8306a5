/**
 * @scratchgrad/tokenizer: byte-level BPE (GPT-2), WordPiece (BERT) and word-level (WikiText) tokenizers,
 * trained from text and read and written in Hugging Face's tokenizer.json format.
 */

export type {
  AddedTokenConfig,
  BpeModelConfig,
  DecoderConfig,
  ModelConfig,
  NormalizerConfig,
  PostProcessorConfig,
  PreTokenizerConfig,
  TemplatePiece,
  TokenizerConfig,
  WordLevelModelConfig,
  WordPieceModelConfig,
} from "./config.js";
export type { DecodeOptions, EncodeOptions, Encoding } from "./encoding.js";
export { formatTokenizerError, type TokenizerError } from "./errors.js";
// tokenizer_config.json and special_tokens_map.json (transformers' save_pretrained / AutoTokenizer)
export {
  applyTokenizerSettings,
  type HfTokenizerConfigOptions,
  hfSpecialTokensMap,
  hfTokenizerConfig,
  type PretrainedTokenizerSettings,
  parseHfTokenizerConfig,
  SPECIAL_TOKEN_KEYS,
  type SpecialTokenKey,
  specialTokensOf,
  type TokenizerClass,
  tokenizerClassOf,
} from "./io/hf-tokenizer-config.js";
// tokenizer.json
export { parseTokenizerConfig, parseTokenizerJson } from "./io/parse.js";
export {
  type PretrainedTokenizer,
  pretrainedTokenizerFiles,
  pretrainedTokenizerFromJson,
  SPECIAL_TOKENS_MAP_FILE,
  TOKENIZER_CONFIG_FILE,
  TOKENIZER_FILE,
} from "./io/pretrained-files.js";
export { pythonJson } from "./io/python-json.js";
// Tokenizers
export type { Tokenizer } from "./tokenizer.js";
// Building blocks, for custom training loops and tests
export { type BpeTrainerOptions, type BpeTrainingResult, trainBpe } from "./training/bpe-trainer.js";
export { type ByteLevelBpeTrainingOptions, trainByteLevelBpe } from "./training/byte-level-bpe.js";
export { trainWikitextWordLevel, type WikitextWordLevelOptions } from "./training/wikitext-word-level.js";
export { countWords } from "./training/word-counts.js";
export {
  trainWordLevel,
  trainWordLevelVocabulary,
  type WordLevelTrainerOptions,
  type WordLevelTrainingOptions,
} from "./training/word-level.js";
export { trainWordPiece, type WordPieceTrainingOptions } from "./training/wordpiece.js";
export { byteLevelAlphabet } from "./unicode/byte-level-alphabet.js";
