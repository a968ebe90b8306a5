import type { TokenizerConfig } from "./config.js";
import { buildDecoder, type Decoder } from "./decoders/index.js";
import type { DecodeOptions, EncodeOptions, Encoding } from "./encoding.js";
import { serializeTokenizerConfig } from "./io/serialize.js";
import { buildModel, type Model, type WordTokens } from "./models/index.js";
import { buildPipeline, type SpanMapper } from "./pipeline.js";
import { buildPostProcessor, type PostProcessor } from "./post-processors/index.js";
import { toByteLevel } from "./unicode/byte-level-alphabet.js";
import { codePointAt, unitLength } from "./unicode/char-classes.js";

/**
 * A tokenizer: Hugging Face's pipeline (normalizer -> pre-tokenizer -> model -> post-processor, and the
 * decoder back), built from a `tokenizer.json` config. Get one from `trainByteLevelBpe`,
 * `trainWordPiece`, `trainWordLevel`, `trainWikitextWordLevel`, `parseTokenizerJson` or `loadTokenizer`.
 *
 * @example
 * const tok = trainByteLevelBpe(["hello world", "hello there"], { vocabSize: 300 });
 * const { ids } = tok.encode("hello world");
 * tok.decode(ids); // "hello world"
 */
export interface Tokenizer {
  /** The tokenizer.json this tokenizer was built from (what `toJson` writes). */
  readonly config: TokenizerConfig;
  /** Number of ids (largest id + 1): the size of an embedding table for this tokenizer. */
  readonly vocabSize: number;
  /** Id of "[PAD]" or "<pad>", when the tokenizer has one as a special token. */
  readonly padTokenId: number | undefined;
  /** Id of "[MASK]" or "<mask>". */
  readonly maskTokenId: number | undefined;
  /** Id of the model's unknown token ("[UNK]", "<unk>"); byte-level BPE has none. */
  readonly unkTokenId: number | undefined;
  /** Id of "[CLS]" or "<s>". */
  readonly clsTokenId: number | undefined;
  /** Id of "[SEP]" or "</s>". */
  readonly sepTokenId: number | undefined;
  /** Id of "<|endoftext|>", "<s>" or "<bos>" (GPT-2 uses <|endoftext|> for both ends). */
  readonly bosTokenId: number | undefined;
  /** Id of "<|endoftext|>", "</s>" or "<eos>". */
  readonly eosTokenId: number | undefined;
  /**
   * Encodes one text. Throws a RangeError only for a WordLevel model whose vocabulary lacks its unknown
   * token, given a word it does not know (an error in HF too).
   */
  encode(text: string, options?: EncodeOptions): Encoding;
  /** Encodes several texts (one `encode` each). */
  encodeBatch(texts: readonly string[], options?: EncodeOptions): Encoding[];
  /** Turns ids back into text; unknown ids are skipped, as in HF. */
  decode(ids: readonly number[], options?: DecodeOptions): string;
  /** The id of a token (an added token or a vocabulary entry). */
  tokenToId(token: string): number | undefined;
  /** The token of an id. */
  idToToken(id: number): string | undefined;
  /** The tokenizer.json text, in HF's layout: Hugging Face's `Tokenizer.from_file` reads it. */
  toJson(): string;
}

/** Words whose tokens are remembered; past this the cache starts over (it only saves time). */
const WORD_CACHE_SIZE = 1 << 18;

/**
 * Wraps `tokenize` with a word cache and, for byte-level models, the conversion of the word into the
 * byte-level alphabet (after the cache lookup, so a cached word costs one Map lookup). Returned offsets
 * are in the word's own UTF-16 units.
 */
const cachedWordTokenizer = (model: Model, byteLevel: boolean): ((word: string) => WordTokens) => {
  const cache = new Map<string, WordTokens>();
  const compute = (word: string): WordTokens => {
    if (!byteLevel) return model.tokenize(word);
    const unitOfByte: number[] = [];
    const bytes = toByteLevel(word, unitOfByte);
    const { ids, offsets } = model.tokenize(bytes);
    // a token covers bytes [a, b): from the start of the character of byte a to the end of that of byte b-1
    const mapped = offsets.map((b, k) => {
      if (k % 2 === 0) return unitOfByte[b]!;
      const u = unitOfByte[b - 1]!;
      return u + unitLength(codePointAt(word, u));
    });
    return { ids, offsets: mapped };
  };
  return (word) => {
    let tokens = cache.get(word);
    if (tokens === undefined) {
      tokens = compute(word);
      if (cache.size >= WORD_CACHE_SIZE) cache.clear();
      cache.set(word, tokens);
    }
    return tokens;
  };
};

const firstId = (ids: ReadonlyMap<string, number>, names: readonly string[]): number | undefined => {
  for (const name of names) if (ids.has(name)) return ids.get(name);
  return undefined;
};

/**
 * Builds a tokenizer from a config that is known to be valid (trainers, or `parseTokenizerJson` after
 * its checks). Untrusted JSON goes through `parseTokenizerJson`.
 */
export const tokenizerFromConfig = (config: TokenizerConfig): Tokenizer => {
  const pipeline = buildPipeline(config);
  const model = buildModel(config.model);
  const postProcessor: PostProcessor | null = config.post_processor
    ? buildPostProcessor(config.post_processor)
    : null;
  const decoder: Decoder | null = config.decoder ? buildDecoder(config.decoder) : null;
  const tokenizeWord = cachedWordTokenizer(model, pipeline.byteLevel);

  const addedById = new Map(config.added_tokens.map((t) => [t.id, t]));
  const addedByContent = new Map(config.added_tokens.map((t) => [t.content, t.id]));
  const specialIds = new Map(config.added_tokens.filter((t) => t.special).map((t) => [t.content, t.id]));
  const vocabSize = Math.max(model.vocabSize, ...config.added_tokens.map((t) => t.id + 1));

  const tokenToId = (token: string) => addedByContent.get(token) ?? model.tokenToId(token);
  const idToToken = (id: number) => addedById.get(id)?.content ?? model.idToToken(id);

  const encode = (text: string, options?: EncodeOptions): Encoding => {
    const track = options?.offsets ?? false;
    const ids: number[] = [];
    const tokens: string[] = [];
    const offsets: [number, number][] | undefined = track ? [] : undefined;
    pipeline.walk(text, track, {
      added(id, content, start, end) {
        ids.push(id);
        tokens.push(content);
        offsets?.push([start, end]);
      },
      word(word: string, mapper: SpanMapper | null, wordStart: number) {
        const t = tokenizeWord(word);
        for (let k = 0; k < t.ids.length; k++) {
          const id = t.ids[k]!;
          ids.push(id);
          tokens.push(model.idToToken(id)!);
          if (offsets)
            offsets.push(mapper!.map(wordStart + t.offsets[2 * k]!, wordStart + t.offsets[2 * k + 1]!));
        }
      },
    });
    const encoding: Encoding = {
      ids,
      tokens,
      specialTokensMask: new Array<number>(ids.length).fill(0),
      ...(offsets ? { offsets } : {}),
    };
    return postProcessor ? postProcessor(encoding, options?.addSpecialTokens ?? true, text) : encoding;
  };

  const decode = (ids: readonly number[], options?: DecodeOptions): string => {
    const skip = options?.skipSpecialTokens ?? false;
    const tokens: string[] = [];
    for (const id of ids) {
      const token = idToToken(id);
      if (token === undefined || (skip && specialIds.has(token))) continue;
      tokens.push(token);
    }
    return decoder ? decoder(tokens) : tokens.join(" ");
  };

  return {
    config,
    vocabSize,
    padTokenId: firstId(specialIds, ["[PAD]", "<pad>"]),
    maskTokenId: firstId(specialIds, ["[MASK]", "<mask>"]),
    unkTokenId: config.model.unk_token === null ? undefined : tokenToId(config.model.unk_token),
    clsTokenId: firstId(specialIds, ["[CLS]", "<s>"]),
    sepTokenId: firstId(specialIds, ["[SEP]", "</s>"]),
    bosTokenId: firstId(specialIds, ["<|endoftext|>", "<s>", "<bos>"]),
    eosTokenId: firstId(specialIds, ["<|endoftext|>", "</s>", "<eos>"]),
    encode,
    encodeBatch: (texts, options) => texts.map((text) => encode(text, options)),
    decode,
    tokenToId,
    idToToken,
    toJson: () => serializeTokenizerConfig(config),
  };
};
