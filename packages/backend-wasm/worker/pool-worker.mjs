// One worker of the backend-wasm thread pool under Node (worker_threads); the loop is pool-loop.mjs.
import { parentPort, workerData } from "node:worker_threads";
import { runPoolWorker } from "./pool-loop.mjs";

runPoolWorker(workerData, () => parentPort.postMessage("ready"));
