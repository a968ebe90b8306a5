// One worker of the backend-wasm thread pool in a browser (a module Web Worker); the loop is
// pool-loop.mjs. The first message carries the module, the shared memory and the control words.
import { runPoolWorker } from "./pool-loop.mjs";

self.addEventListener(
  "message",
  (event) => {
    try {
      runPoolWorker(event.data, () => self.postMessage("ready"));
    } catch (error) {
      // Surfaces as the worker's "error" event on the page, which rejects the pool's start.
      setTimeout(() => {
        throw error;
      });
    }
  },
  { once: true },
);
