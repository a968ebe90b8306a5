/**
 * The weights of a checkpoint directory as HF lays them out: one `model.safetensors`, or — for a model
 * `save_pretrained` split with `max_shard_size` — shards listed by `model.safetensors.index.json`
 * (`{ "metadata": { "total_size": … }, "weight_map": { name: "model-00001-of-00002.safetensors" } }`).
 * Either way the result is every tensor as host float32 data under its file name.
 */
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { io } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { WEIGHTS_FILE, WEIGHTS_INDEX_FILE } from "./checkpoint.js";
import { type CheckpointError, fromSafetensorsError } from "./errors.js";
import { fromRawTensors, type HostTensor } from "./state-dict.js";

export { WEIGHTS_FILE, WEIGHTS_INDEX_FILE } from "./checkpoint.js";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const invalid = (message: string): CheckpointError => ({ _tag: "InvalidSafetensors", message });

const readShard = async (path: string): Promise<E.Either<CheckpointError, Map<string, HostTensor>>> => {
  const file = await io.readSafetensorsFile(path)();
  if (E.isLeft(file)) return E.left(fromSafetensorsError(file.left));
  const tensors = fromRawTensors(file.right.tensors);
  return E.isLeft(tensors)
    ? E.left({ ...tensors.left, message: `${path}: ${tensors.left.message}` })
    : tensors;
};

/**
 * Checks a parsed model.safetensors.index.json: `weight_map` maps names to shard files that sit in the
 * directory itself (a name with a path separator or `..` is refused, so an index cannot reach outside).
 */
const parseIndex = (json: unknown, path: string): E.Either<CheckpointError, Map<string, string>> => {
  const weightMap = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== "object" || weightMap === null || Array.isArray(weightMap))
    return E.left(invalid(`${path}: "weight_map" should map tensor names to shard files.`));
  const out = new Map<string, string>();
  for (const [name, shard] of Object.entries(weightMap)) {
    if (typeof shard !== "string" || shard === "" || /[/\\]/.test(shard) || shard === "..")
      return E.left(
        invalid(
          `${path}: weight_map["${name}"] should be a file name in the same directory, got ${JSON.stringify(shard)}.`,
        ),
      );
    out.set(name, shard);
  }
  return E.right(out);
};

/**
 * Every tensor of `dir`'s weights: `model.safetensors` if present, else the shards its
 * `model.safetensors.index.json` names (each shard read once; a tensor the index places in a shard
 * that lacks it is an error). F16, BF16 and F64 become float32.
 * @example const tensors = await readWeights("hub/gpt2-large")(); // Right(Map { "transformer.wte.weight" => … })
 */
export const readWeights =
  (dir: string): TE.TaskEither<CheckpointError, Map<string, HostTensor>> =>
  async () => {
    const single = join(dir, WEIGHTS_FILE);
    const indexPath = join(dir, WEIGHTS_INDEX_FILE);
    if ((await exists(single)) || !(await exists(indexPath))) {
      const read = await readShard(single);
      if (E.isLeft(read) && read.left._tag === "IoError" && !(await exists(single)))
        return E.left({
          ...read.left,
          message: `${dir} has neither ${WEIGHTS_FILE} nor ${WEIGHTS_INDEX_FILE}; only safetensors weights load (convert pytorch_model.bin with HF's save_pretrained(safe_serialization=True)).`,
        });
      return read;
    }
    let json: unknown;
    try {
      json = JSON.parse(await readFile(indexPath, "utf8"));
    } catch (e) {
      return E.left(invalid(`${indexPath}: ${e instanceof Error ? e.message : String(e)}`));
    }
    const index = parseIndex(json, indexPath);
    if (E.isLeft(index)) return index;
    const out = new Map<string, HostTensor>();
    for (const shard of [...new Set(index.right.values())].sort()) {
      const tensors = await readShard(join(dir, shard));
      if (E.isLeft(tensors)) return tensors;
      for (const [name, t] of tensors.right) out.set(name, t);
    }
    const absent = [...index.right].filter(([name]) => !out.has(name));
    if (absent.length > 0)
      return E.left(
        invalid(
          `${indexPath} places ${absent[0]![0]} in ${absent[0]![1]}, which does not hold it; the shards are not the index's.`,
        ),
      );
    return E.right(out);
  };
