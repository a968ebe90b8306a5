// Times one model's init, forward and forward+backward (value and gradient of the LM loss) at a given
// batch shape. Usage:
//   pnpm bench -- gpt2 gpt2-tiny 8 128 3 8000     (model preset batch seq repeats [vocab_size])
//   pnpm bench -- bert bert-base-cased 1 128 1    (full size: slow on GPU.js, minutes per step)
// SCRATCHGRAD_BACKEND=cpu|webasm picks the GPU.js mode.
import os from "node:os";
import {
  crossEntropy,
  currentBackend,
  fromTypedArray,
  random,
  randomArrays,
  scope,
  valueAndGrad,
} from "@scratchgrad/tensor";
import { type BertPreset, bert, bertConfig, type Gpt2Preset, gpt2, gpt2Config } from "../src/index.js";

// Every bench names the CPU it ran on (timings differ ~2x between this project's Intel and AMD machines).
console.log(
  `machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, node ${process.version}`,
);

const [kind = "gpt2", preset = kind === "gpt2" ? "gpt2-tiny" : "bert-tiny", b = "4", t = "128", r = "2", v] =
  process.argv.slice(2).filter((a) => a !== "--");
const [B, T, repeats] = [Number(b), Number(t), Number(r)];
const vocab = v === undefined ? {} : { vocab_size: Number(v) };
const time = <X>(label: string, fn: () => X): X => {
  const start = performance.now();
  const out = fn();
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(3)} s`);
  return out;
};

console.log(`backend ${currentBackend().name ?? "?"}, ${kind} ${preset}, B=${B} T=${T}`);
if (kind === "gpt2") {
  const model = gpt2(gpt2Config(preset as Gpt2Preset, vocab));
  console.log(`parameters: ${model.countParams().toLocaleString("en")}`);
  const params = time("init", () => model.init(random.key(0)));
  const ids = fromTypedArray(
    randomArrays.randint(random.key(1), B * T, 0, model.config.vocab_size),
    [B, T],
    "int32",
  );
  for (let i = 0; i < repeats; i++) {
    time("forward", () => scope(() => model.apply(params, ids, { training: false }).data()));
    time("forward+backward", () =>
      scope(() =>
        valueAndGrad((p: typeof params) =>
          model.loss(p, { inputIds: ids }, { training: true, key: random.key(i) }),
        )(params)[0].data(),
      ),
    );
  }
} else {
  const model = bert(bertConfig(preset as BertPreset, vocab));
  console.log(`parameters: ${model.countParams().toLocaleString("en")}`);
  const params = time("init", () => model.init(random.key(0)));
  const ids = fromTypedArray(
    randomArrays.randint(random.key(1), B * T, 0, model.config.vocab_size),
    [B, T],
    "int32",
  );
  for (let i = 0; i < repeats; i++) {
    time("forward", () => scope(() => model.apply(params, { inputIds: ids }, { training: false }).data()));
    time("forward+backward", () =>
      scope(() =>
        valueAndGrad((p: typeof params) =>
          crossEntropy(model.apply(p, { inputIds: ids }, { training: true, key: random.key(i) }), ids),
        )(params)[0].data(),
      ),
    );
  }
}
