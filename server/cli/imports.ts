// What the CLI's import commands share: the import is queued like an upload through the API, and
// the command works the import queue itself until its import has ended (another worker may take
// the job; the batches' cursor keeps every invoice or payment booked once either way), drawing
// the progress bar from the import's row.
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import type { Db } from "../../db/client";
import { createLogger } from "~/platform/logger.server";
import { drainJobs } from "~/platform/jobs/queue.server";
import { getImport, IMPORT_RUN_JOB, type ImportRow } from "~/platform/imports/imports.server";
import { cliConfig, progressReporter } from "./support";

const POLL_MS = 200;

/** Runs the import's job here (or waits for the worker that has it) and answers the ended import. */
export async function followImport(db: Db, queued: ImportRow, unit: string): Promise<ImportRow> {
  const services = { config: cliConfig(), db, log: createLogger("warn", pino.destination(2)), isDatabaseReady: async () => true };
  const progress = progressReporter(unit);
  let draining: Promise<unknown> | undefined;
  try {
    for (;;) {
      draining ??= drainJobs(services, { names: [IMPORT_RUN_JOB] }).finally(() => (draining = undefined));
      const current = await getImport(db, queued.supplierId, queued.id);
      if (!current) throw new Error(`import ${queued.id} vanished`);
      if (current.total !== null) progress.update(current.processed, current.total);
      if (current.state === "succeeded" || current.state === "failed") {
        await draining;
        return current;
      }
      await Promise.race([draining, sleep(POLL_MS)]);
    }
  } finally {
    progress.done();
  }
}
