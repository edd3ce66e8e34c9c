// Large uploads (a CSV of invoices, a bank file) are booked by a job, off the request path: the
// request stores the file in the `imports` row and queues `import.run`; the answer is a 202 with
// the import's URL, which shows progress and, at the end, the report. This module knows no
// feature: each kind's runner is registered by the composition root (server/jobs.ts).
//
// Exactly once, whatever crashes: a runner works in batches, each in its own transaction that
// locks the import row, checks that no other run has moved the cursor, and stores its part of the
// report and the new cursor with the batch's own writes. A run that dies is retried by the queue
// and starts after the last committed batch; two runs of one import never book a batch twice.
import { createHash } from "node:crypto";
import type { Db, Tx } from "../../../db/client";
import type { AppServices } from "~/platform/context";
import type { Actor } from "~/platform/audit/db/events.server";
import { enqueueJob } from "~/platform/jobs/queue.server";
import { runIdempotent, type Keyed } from "~/api/idempotency.server";
import { releaseIdempotencyKey } from "~/api/db/idempotency.server";
import { json, type ProblemBody } from "~/api/problem.server";
import { newPublicId } from "~/domain/public-id";
import {
  batchReports, batchReportsFrom, findImport, nextBatchPart, finishImport, insertImport, lockImportRun, lockRunning, moveCursor, saveBatch, saveBatchPart, setProgress, startRun,
  type ImportKind, type ImportRow,
} from "~/platform/imports/db/imports.server";

export type { ImportKind, ImportRow };

export const IMPORT_RUN_JOB = "import.run";
/** The queue's retries (import.run's retryLimit) plus the first run; the last one that fails ends the import. */
export const IMPORT_RETRY_LIMIT = 3;
const MAX_ATTEMPTS = IMPORT_RETRY_LIMIT + 1;

export type ImportOutcome =
  | {
      ok: true;
      report: unknown;
      /** Written in the transaction that ends the import, so it happens once (an audit event). */
      onCommit?: (tx: Tx) => Promise<void>;
      /** Keeps the batches' parts after the end: the kind pages its full report from them (importParts). */
      keepParts?: boolean;
    }
  /** The file could not be imported: the problem, and the report when the kind has one (the CSV's errors). */
  | { ok: false; problem: ProblemBody; report?: unknown };

export type ImportRun = {
  id: string;
  supplierId: string;
  file: Uint8Array;
  options: Record<string, unknown>;
  actor: Actor;
  services: AppServices;
  /** Batches an earlier run of this import committed: a resumed run starts after them. */
  committed: number;
  /** Units per batch: the kind's own size unless a test asks for smaller batches. */
  batchSize: (normal: number) => number;
  /**
   * Runs one batch in its own transaction with the import's row locked: checks that no other run
   * moved the cursor, then stores the batch's part of the report and the progress with its writes.
   * Between batches the event loop gets a turn, so a web process running the worker stays responsive.
   */
  batch: <T>(work: (tx: Tx) => Promise<{ part: T; processed: number }>) => Promise<void>;
  /**
   * All or nothing: every batch of `body` in one transaction, the cursor moved only by its commit
   * (a crash rolls it all back and the re-run starts over). Progress stays visible meanwhile.
   */
  inOneTransaction: (body: (tx: Tx, batch: <T>(work: () => Promise<{ part: T; processed: number }>) => Promise<void>) => Promise<void>) => Promise<void>;
  /** Progress outside any batch (the file read, a dry run's rolled-back transaction). */
  progress: (processed: number, total?: number) => Promise<void>;
  /** The committed batches' parts of the report, in order, read one at a time. */
  parts: () => AsyncIterable<unknown>;
  /**
   * Stores a part outside any batch's transaction (a dry run's, whose writes are rolled back), so
   * a kind that keeps its parts can page them like a real run's.
   */
  savePart: (batch: number, part: unknown) => Promise<void>;
};

export type ImportRunner = (run: ImportRun) => Promise<ImportOutcome>;

const runners = new Map<ImportKind, ImportRunner>();

/** Called by the composition root with each kind's runner. */
export function registerImportRunners(kinds: Record<ImportKind, ImportRunner>): void {
  for (const [kind, runner] of Object.entries(kinds)) runners.set(kind as ImportKind, runner);
}

/** Another run of this import committed a batch meanwhile: it is alive and goes on; this one stops. */
class Superseded extends Error {}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type RunOptions = {
  /** Tests: smaller batches, and a hook after each committed batch (throw to stop the run there, as a crash would). */
  batchSize?: number;
  afterBatch?: (committed: number) => void | Promise<void>;
};

const INTERNAL_ERROR: ProblemBody = {
  status: 500,
  title: "Import failed",
  detail: "The import failed repeatedly for a reason of ours. What its committed batches booked stays booked; upload the file again to finish it.",
};

/** The job's work: runs (or resumes) the import, and ends it with its report or problem. */
export async function runImport(services: AppServices, importId: string, options: RunOptions = {}): Promise<void> {
  const row = await startRun(services.db, importId);
  if (!row) return; // ended already: the queue ran the job again
  const runner = runners.get(row.kind);
  if (!runner) throw new Error(`No import runner registered for "${row.kind}": import server/jobs.ts at the entry point`);
  let next = row.batches;
  const run: ImportRun = {
    id: row.id,
    supplierId: row.supplierId,
    file: row.file,
    options: row.options as Record<string, unknown>,
    actor: row.actor as Actor,
    services,
    committed: row.batches,
    batchSize: (normal) => options.batchSize ?? normal,
    batch: async (work) => {
      await services.db.transaction(async (tx) => {
        if ((await lockRunning(tx, row.id)) !== next) throw new Superseded();
        const { part, processed } = await work(tx);
        await saveBatch(tx, row.id, next, part, processed);
      });
      next += 1;
      await options.afterBatch?.(next);
      await yieldToEventLoop();
    },
    inOneTransaction: async (body) => {
      let count = next;
      let processedAtEnd = row.processed;
      await services.db.transaction(async (tx) => {
        // Not the row lock: progress is written to the row from outside meanwhile. A second run
        // waits here, then finds the cursor moved by the first's commit.
        if ((await lockImportRun(tx, row.id)) !== next) throw new Superseded();
        await body(tx, async (work) => {
          const { part, processed } = await work();
          await saveBatchPart(tx, row.id, count, part);
          count += 1;
          processedAtEnd = processed;
          await setProgress(services.db, row.id, { processed });
          await options.afterBatch?.(count);
          await yieldToEventLoop();
        });
        await moveCursor(tx, row.id, count, processedAtEnd);
      });
      next = count;
    },
    progress: (processed, total) => setProgress(services.db, row.id, total === undefined ? { processed } : { processed, total }),
    parts: () => batchReports(services.db, row.id),
    savePart: (batch, part) => saveBatchPart(services.db, row.id, batch, part, { replace: true }),
  };

  let outcome: ImportOutcome;
  try {
    outcome = await runner(run);
  } catch (error) {
    if (error instanceof Superseded) return;
    if (row.attempts < MAX_ATTEMPTS) throw error; // the queue retries; the next run resumes
    services.log.error({ err: error, importId }, "import failed on its last attempt");
    outcome = { ok: false, problem: INTERNAL_ERROR };
  }
  await services.db.transaction(async (tx) => {
    if ((await lockRunning(tx, row.id)) !== next) return; // another run ended it
    if (outcome.ok) await outcome.onCommit?.(tx);
    await finishImport(tx, row.id, {
      state: outcome.ok ? "succeeded" : "failed",
      report: outcome.report ?? null,
      problem: outcome.ok ? null : outcome.problem,
      keepParts: outcome.ok && outcome.keepParts === true,
    });
    // As a request refused at once keeps no claim: the fixed file may be sent with the same key.
    if (!outcome.ok && row.idempotencyKey !== null) await releaseIdempotencyKey(tx, row.supplierId, row.idempotencyKey);
  });
}

export type NewImport = {
  supplierId: string;
  kind: ImportKind;
  file: Uint8Array;
  options: Record<string, unknown>;
  actor: Actor;
  /** With a key, a retry of the same file and options answers the same import. */
  idempotencyKey?: string;
  /** The route the key is bound to. */
  route: string;
};

/** Stores the file and queues its job in one transaction; answers the import (202). */
export async function startImport(db: Db, params: NewImport): Promise<Keyed<ImportRow>> {
  const fileSha256 = createHash("sha256").update(params.file).digest("hex");
  const keyed = await db.transaction((tx) =>
    runIdempotent(
      tx,
      { supplierId: params.supplierId, key: params.idempotencyKey, route: params.route, input: { file_sha256: fileSha256, options: params.options } },
      async () => {
        const id = newPublicId("imp");
        await insertImport(tx, {
          id,
          supplierId: params.supplierId,
          kind: params.kind,
          options: params.options,
          file: Buffer.from(params.file.buffer, params.file.byteOffset, params.file.byteLength),
          fileSha256,
          fileBytes: params.file.byteLength,
          actor: params.actor,
          idempotencyKey: params.idempotencyKey ?? null,
        });
        await enqueueJob(tx, IMPORT_RUN_JOB, { importId: id });
        return { status: 202, body: { id } };
      },
    ),
  );
  if (!keyed.ok) return keyed;
  const row = await findImport(db, params.supplierId, keyed.body.id);
  if (!row) throw new Error(`import ${keyed.body.id} vanished`);
  return { ...keyed, body: row };
}

export const getImport = findImport;

/** After importParts: the number of the next kept part from batch `from` on (the caller has checked the import is the supplier's). */
export const nextPart = (db: Db, id: string, from: number) => nextBatchPart(db, id, from);

/**
 * The kept parts of an ended import of the supplier (see ImportOutcome's keepParts), from batch
 * `from` on, at most `count`: undefined when the supplier has no such import.
 */
export async function importParts(db: Db, supplierId: string, id: string, from: number, count: number): Promise<{ batch: number; report: unknown }[] | undefined> {
  const row = await findImport(db, supplierId, id);
  if (!row) return undefined;
  return row.state === "succeeded" ? batchReportsFrom(db, id, from, count) : [];
}

export const importPath = (id: string) => `/api/v1/imports/${id}`;

/** The import as the API shows it. */
export function importJson(row: ImportRow) {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    options: row.options as Record<string, unknown>,
    progress: { processed: row.processed, total: row.total },
    report: row.report ?? null,
    // As problem+json bodies are: `type` first.
    problem: row.problem ? { type: "about:blank", ...(row.problem as ProblemBody) } : null,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}

/** POST's answer: 202, the import, and where to follow it. */
export function acceptedImport(row: ImportRow, replayed: boolean): Response {
  return json(importJson(row), 202, { Location: importPath(row.id), ...(replayed ? { "Idempotent-Replayed": "true" } : {}) });
}
