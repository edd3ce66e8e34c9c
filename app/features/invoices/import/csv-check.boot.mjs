// Starts the CSV checking thread. Its entry is TypeScript when the app runs from source (tsx):
// a worker thread does not get the process's --import hooks on Node 20, so tsx's loader is
// registered here first, then the entry imported.
import { workerData } from "node:worker_threads";

if (workerData.entry.endsWith(".ts")) (await import("tsx/esm/api")).register();
await import(workerData.entry);
