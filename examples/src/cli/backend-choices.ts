/**
 * The `--backend` choices, apart from the code that sets a backend up (cli/backend.ts, Node), so the
 * flag specs parse the same in a browser (the playground parses the trainer's flags).
 */
export const BACKEND_CHOICES = ["wasm", "webasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** `--backend` and `--threads`, the same in every script (the trainers, eval, generate, fill-mask). */
export const BACKEND_FLAGS = {
  backend: { type: "string", default: "wasm", choices: BACKEND_CHOICES, help: "Compute backend" },
  threads: {
    type: "int",
    default: 0,
    min: 0,
    max: 256,
    help: "Worker threads for the wasm backend (0: all cores)",
  },
} as const;
