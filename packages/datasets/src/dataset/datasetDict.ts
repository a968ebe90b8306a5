import * as E from "fp-ts/lib/Either.js";
import type { Dataset, Row } from "./dataset.js";

/** The split names of Hugging Face's WikiText configs. */
export type SplitName = "train" | "validation" | "test";

/** All three splits, in Hugging Face's order. */
export const splitNames: readonly SplitName[] = Object.freeze(["train", "validation", "test"]);

/**
 * Checks a split name given by a person (a `--split` flag, say).
 *
 * @example
 * parseSplitName("test"); // right("test")
 * parseSplitName("valid"); // left('unknown split "valid"; use one of train, validation, test')
 */
export const parseSplitName = (name: string): E.Either<string, SplitName> =>
  (splitNames as readonly string[]).includes(name)
    ? E.right(name as SplitName)
    : E.left(`unknown split "${name}"; use one of ${splitNames.join(", ")}`);

/** Named splits of one dataset, like HF's `DatasetDict` (`{ train, validation, test }`). */
export type DatasetDict<R extends Row, S extends string = SplitName> = { readonly [K in S]: Dataset<R> };

/**
 * Applies one dataset transform to every split.
 *
 * @example
 * const nonEmpty = mapSplits(filter((r: { text: string }) => r.text !== ""))(dict);
 */
export const mapSplits =
  <R extends Row, Out extends Row>(transform: (dataset: Dataset<R>, split: string) => Dataset<Out>) =>
  <S extends string>(dict: DatasetDict<R, S>): DatasetDict<Out, S> => {
    const out = {} as { [K in S]: Dataset<Out> };
    for (const split of Object.keys(dict) as S[]) out[split] = transform(dict[split], split);
    return Object.freeze(out);
  };
