/**
 * The `--backend` choices, apart from the code that sets a backend up (cli/backend.ts, Node), so the
 * flag specs parse the same in a browser (the playground parses the trainer's flags).
 */
export const BACKEND_CHOICES = ["wasm", "webasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
