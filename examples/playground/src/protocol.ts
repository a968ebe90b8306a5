/**
 * The messages between the page (main.ts) and the training worker (worker.ts). Everything crosses as
 * structured clones; the files come back as Blobs (cloned by reference, not copied).
 */

/** The compute backends the page offers: the wasm backend on Web Workers, GPU.js's modes. */
export const PLAYGROUND_BACKENDS = ["wasm", "webgl2", "webgl", "webgpu", "cpu"] as const;
export type PlaygroundBackend = (typeof PLAYGROUND_BACKENDS)[number];

export type ToWorker =
  | {
      readonly type: "train";
      /** Which trainer's run: train:gpt2's or train:bert's. */
      readonly lab: "gpt2" | "bert";
      /** The trainer's flags, as on the command line. */
      readonly argv: readonly string[];
      readonly texts: { readonly train: readonly string[]; readonly validation: readonly string[] };
      readonly backend: PlaygroundBackend;
      readonly threads: number;
      readonly datasetConfig: string;
    }
  | { readonly type: "stop" }
  | {
      readonly type: "generate";
      readonly prompt: string;
      readonly maxNewTokens: number;
      readonly doSample: boolean;
      readonly temperature: number;
      readonly topK: number;
      readonly seed: number;
    }
  | { readonly type: "fill-mask"; readonly text: string; readonly topK: number };

/** What the page shows of a run before its first step. */
export interface RunSummaryMessage {
  readonly model: "GPT-2" | "BERT";
  readonly backend: string;
  readonly parameters: number;
  readonly vocabSize: number;
  readonly tokenizer: string;
  readonly trainBlocks: number;
  readonly validationBlocks: number;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  /** The same run in Node, as a user types it. */
  readonly command: string;
}

export type FromWorker =
  | { readonly type: "status"; readonly text: string }
  | { readonly type: "prepared"; readonly summary: RunSummaryMessage }
  | {
      readonly type: "step";
      readonly step: number;
      readonly total: number;
      readonly loss: number;
      readonly learningRate: number;
      readonly epoch: number;
      /** Steps this run and the seconds they took (the rate behind it/s and the ETA). */
      readonly stepsThisRun: number;
      readonly trainSeconds: number;
    }
  | { readonly type: "eval"; readonly step: number; readonly loss: number; readonly perplexity: number }
  | {
      readonly type: "done";
      readonly reason: string;
      readonly evalLoss: number;
      readonly perplexity: number;
      readonly wordPerplexity: number;
      /** The Hugging Face files, by name, in the order the Node trainer writes them. */
      readonly files: readonly (readonly [string, Blob])[];
    }
  | { readonly type: "generated"; readonly text: string; readonly tokensPerSecond: number }
  | {
      readonly type: "filled";
      /** Per [MASK]: the candidates, most likely first. */
      readonly masks: readonly (readonly {
        readonly token: string;
        readonly score: number;
        readonly sequence: string;
      }[])[];
    }
  | { readonly type: "error"; readonly message: string };
