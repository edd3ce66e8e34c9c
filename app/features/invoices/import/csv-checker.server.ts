// The CSV import reads and validates its file in a thread of its own (node:worker_threads), so the
// web process that may run the job keeps answering: scanning 100,000 rows and validating 20,000
// invoices is seconds of CPU, and its garbage is the thread's. The thread's heap is capped, so its
// collector runs before the process grows; the job's thread only books what comes back.
// One request at a time: the job asks for the next range when it has booked the last one, so at
// most one range is in flight (memory stays flat whatever the file's size).
import { Worker } from "node:worker_threads";
import type { CheckedRange, ScanSummary } from "./csv-check.server";

export type CheckerData = { entry: string; file: Uint8Array };
export type CheckRequest = { from: number; to: number };
export type CheckerMessage = { kind: "scanned"; summary: ScanSummary } | { kind: "checked"; range: CheckedRange };

/**
 * The thread's heap: a 5 MB file's text and row index plus one range need a few tens of MB; the
 * cap makes its collector work before the process grows by hundreds (as it did in one thread).
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16 };

export type CsvChecker = {
  summary: ScanSummary;
  /** Invoices [from, to) built and validated. */
  check: (from: number, to: number) => Promise<CheckedRange>;
  close: () => Promise<void>;
};

export async function openCsvChecker(file: Uint8Array): Promise<CsvChecker> {
  const entry = new URL(`./csv-check.worker.${import.meta.url.endsWith(".ts") ? "ts" : "js"}`, import.meta.url).href;
  const worker = new Worker(new URL("./csv-check.boot.mjs", import.meta.url), {
    workerData: { entry, file } satisfies CheckerData,
    resourceLimits: RESOURCE_LIMITS,
  });
  const inbox: CheckerMessage[] = [];
  let waiting: { resolve: (message: CheckerMessage) => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    waiting?.reject(failure);
    waiting = undefined;
  };
  worker.on("message", (message: CheckerMessage) => {
    if (waiting) {
      waiting.resolve(message);
      waiting = undefined;
    } else inbox.push(message);
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the CSV checking thread exited with code ${code}`)));
  const next = () =>
    new Promise<CheckerMessage>((resolve, reject) => {
      const message = inbox.shift();
      if (message) resolve(message);
      else if (failure) reject(failure);
      else waiting = { resolve, reject };
    });
  const close = async () => {
    await worker.terminate();
  };

  try {
    const first = await next();
    if (first.kind !== "scanned") throw new Error("the CSV checking thread answered out of turn");
    return {
      summary: first.summary,
      check: async (from, to) => {
        worker.postMessage({ from, to } satisfies CheckRequest);
        const answer = await next();
        if (answer.kind !== "checked") throw new Error("the CSV checking thread answered out of turn");
        return answer.range;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
