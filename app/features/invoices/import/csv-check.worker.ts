// The CSV import's checking thread (see csv-checker.server): reads the file it is given, answers
// its summary, then each range of invoices it is asked for, built and validated.
import { parentPort, workerData } from "node:worker_threads";
import { checkRange, scanFile } from "./csv-check.server";
import type { CheckerData, CheckRequest, CheckerMessage } from "./csv-checker.server";

const port = parentPort!;
const { summary, file } = scanFile((workerData as CheckerData).file);
port.postMessage({ kind: "scanned", summary } satisfies CheckerMessage);
port.on("message", ({ from, to }: CheckRequest) => {
  port.postMessage({ kind: "checked", range: checkRange(file!, from, to) } satisfies CheckerMessage);
});
