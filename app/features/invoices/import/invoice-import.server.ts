// CSV import of invoices (issue #6, item 5) for the CLI and POST /api/v1/invoices/import, run as an
// import job (app/platform/imports/). The file is read, grouped into invoices, built and validated
// (by the API's validateInvoiceInput) in a thread of its own (csv-checker.server), a chunk at a
// time as the job asks for it: the web process that may run the job keeps answering, and memory
// holds one chunk, never every parsed invoice. Each batch is one transaction of chunks
// (createInvoiceBatch: the rules of createInvoice, a handful of statements per chunk); a chunk that
// meets anything unusual (an unknown customer id, a taken OCR, a number or customer created
// meanwhile) is redone one invoice at a time through createInvoice itself, inside the same
// transaction, which names the row.
// Import is idempotent by invoice number: a number the supplier already has is skipped and
// reported with its id, so re-running a file creates nothing new; a run resumed after a crash
// starts after the last committed batch (the import's cursor), so its report is the first run's.
import { and, eq, inArray } from "drizzle-orm";
import { invoices as invoicesTable } from "../../../../db/schema";
import type { Db, DbOrTx, Tx } from "../../../../db/client";
import type { Config } from "~/platform/config.server";
import type { CsvInvoice, RowError } from "~/domain/invoice-csv";
import { createInvoice, knownConflict, type Actor, type CreateInvoiceResult } from "~/features/invoices/invoices.server";
import { BatchConflict, createInvoiceBatch } from "~/features/invoices/import/invoice-batch.server";
import { rowErrors, type Checked } from "~/features/invoices/import/csv-check.server";
import { openCsvChecker, type CsvChecker } from "~/features/invoices/import/csv-checker.server";
import { startImport, yieldToEventLoop, type ImportOutcome, type ImportRun } from "~/platform/imports/imports.server";
import type { Actor as AuditActor } from "~/platform/audit/db/events.server";

export type ImportReport = {
  dry_run: boolean;
  all_or_nothing: boolean;
  /** Invoices found in the file (valid or not). */
  invoices: number;
  created: { line: number; number: string; id: string }[];
  /** Dry run only: what a real run would create. */
  would_create: { line: number; number: string }[];
  /** Numbers the supplier already has: not created again. */
  skipped: { line: number; number: string; id: string | null; reason: "exists" }[];
  errors: RowError[];
};

/** One batch's share of the report, stored with the batch. */
type Part = Pick<ImportReport, "created" | "would_create" | "skipped" | "errors">;

export type InvoiceImportOptions = { all_or_nothing: boolean; dry_run: boolean };

/** Invoices per import batch: one transaction, one progress step, one part of the report. */
const BATCH_INVOICES = 500;
/**
 * Invoices (and lines) per createInvoiceBatch call: a handful of statements each instead of ~15
 * per invoice, yet small enough that building one statement never holds the event loop long nor
 * makes objects big enough to outlive the young generation (memory stays flat on large files).
 */
const CHUNK_INVOICES = 100;
const CHUNK_LINES = 500;

/**
 * Invoices [from, to) in chunks of at most CHUNK_INVOICES invoices and CHUNK_LINES rows, by the
 * rows each invoice has. Each chunk is checked (in the checking thread) and written before the
 * next is asked for, so one chunk's objects are alive at a time.
 */
function chunksOf(rowsPerInvoice: readonly number[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  let rows = 0;
  for (let index = from; index < to; index++) {
    const size = rowsPerInvoice[index]!;
    if (index > start && (index - start >= CHUNK_INVOICES || rows + size > CHUNK_LINES)) {
      out.push([start, index]);
      start = index;
      rows = 0;
    }
    rows += size;
  }
  if (to > start) out.push([start, to]);
  return out;
}

function byLines(invoices: readonly Checked[]): Checked[][] {
  const out: Checked[][] = [];
  let current: Checked[] = [];
  let lines = 0;
  for (const invoice of invoices) {
    if (current.length > 0 && (current.length >= CHUNK_INVOICES || lines + invoice.input.lines.length > CHUNK_LINES)) {
      out.push(current);
      current = [];
      lines = 0;
    }
    current.push(invoice);
    lines += invoice.input.lines.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const FILE = "(file)";

async function existingNumbers(db: DbOrTx, supplierId: string, numbers: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  // Chunks keep the parameter list well under PostgreSQL's limit of 65535.
  for (let start = 0; start < numbers.length; start += 5000) {
    const rows = await db
      .select({ id: invoicesTable.id, number: invoicesTable.number })
      .from(invoicesTable)
      .where(and(eq(invoicesTable.supplierId, supplierId), inArray(invoicesTable.number, numbers.slice(start, start + 5000))));
    for (const row of rows) found.set(row.number, row.id);
  }
  return found;
}

const isNumberConflict = (result: CreateInvoiceResult) =>
  !result.ok && result.problem.status === 409 && result.problem.errors?.[0]?.field === "number";

const emptyPart = (): Part => ({ created: [], would_create: [], skipped: [], errors: [] });
const first = (invoice: CsvInvoice) => ({ line: invoice.lines[0]!, number: invoice.number });

/** A chunk's invoices built and validated (by the checking thread); those the supplier has already are skipped. */
async function checkChunk(db: DbOrTx, supplierId: string, checker: CsvChecker, [from, to]: [number, number], part: Part): Promise<Checked[]> {
  const { checked, errors } = await checker.check(from, to);
  part.errors.push(...errors);
  const existing = await existingNumbers(db, supplierId, checked.map(({ csv }) => csv.number));
  return checked.filter(({ csv }) => {
    const id = existing.get(csv.number);
    if (id !== undefined) part.skipped.push({ ...first(csv), id, reason: "exists" });
    return id === undefined;
  });
}

type WriteContext = { tx: Tx; config: Config; supplierId: string; actor: Actor };

/**
 * Creates a batch's invoices in the caller's transaction: a few set-based statements, or, when
 * that meets a conflict, each invoice in its own savepoint so every other one is still created.
 * Answers false when `stopAtError` (all or nothing) and an invoice could not be created.
 */
async function writeBatch(ctx: WriteContext, toCreate: Checked[], part: Part, stopAtError: boolean): Promise<boolean> {
  const { tx, supplierId, actor } = ctx;
  for (const chunk of byLines(toCreate)) {
    await yieldToEventLoop();
    let result;
    try {
      result = await tx.transaction((savepoint) => createInvoiceBatch(savepoint, { supplierId, actor, now: new Date(), invoices: chunk.map(({ input }) => input) }));
    } catch (error) {
      if (!(error instanceof BatchConflict) && knownConflict(error) === undefined) throw error;
    }
    if (result?.ok) {
      result.ids.forEach((id, index) => part.created.push({ ...first(chunk[index]!.csv), id }));
      continue;
    }
    if (result && stopAtError) {
      part.errors.push(...rowErrors(chunk[result.index]!.csv, result.problem));
      return false;
    }
    for (const { csv } of chunk) {
      const single = await createInvoice(tx, ctx.config, {
        supplierId,
        apiKeyId: actor.actorId,
        input: csv.input,
        origin: { ...(actor.ip ? { ip: actor.ip } : {}), ...(actor.userAgent ? { userAgent: actor.userAgent } : {}) },
      });
      if (single.ok) part.created.push({ ...first(csv), id: single.invoice.id });
      else if (isNumberConflict(single) && !stopAtError) {
        // Created meanwhile by someone else: skipped, as an existing number is.
        const ids = await existingNumbers(tx, supplierId, [csv.number]);
        part.skipped.push({ ...first(csv), id: ids.get(csv.number) ?? null, reason: "exists" });
      } else {
        part.errors.push(...rowErrors(csv, single.problem));
        if (stopAtError) return false;
      }
    }
  }
  return true;
}

/** Nothing created (and nothing would be): the import fails, its report naming every bad row. */
export function nothingImported(report: ImportReport): boolean {
  return report.errors.length > 0 && report.created.length === 0 && report.would_create.length === 0;
}

function outcomeOf(report: ImportReport): ImportOutcome {
  // All or nothing with a bad row: nothing is (or would be) created.
  if (report.all_or_nothing && report.errors.length > 0) report.would_create = [];
  for (const list of [report.created, report.would_create, report.skipped, report.errors]) list.sort((a, b) => a.line - b.line);
  if (!nothingImported(report)) return { ok: true, report };
  const detail = report.all_or_nothing && report.invoices > 0
    ? "Some rows are invalid, so nothing was imported (all_or_nothing). See the report's errors for each row and field."
    : "No invoice could be imported. See the report's errors for each row and field.";
  return { ok: false, problem: { status: 422, title: "Import failed", detail }, report };
}

function merge(report: ImportReport, part: Part): void {
  report.created.push(...part.created);
  report.would_create.push(...part.would_create);
  report.skipped.push(...part.skipped);
  report.errors.push(...part.errors);
}

class RollBack extends Error {}

/** The import job's runner for `invoices_csv`. */
export async function runInvoiceImport(run: ImportRun): Promise<ImportOutcome> {
  const options = run.options as InvoiceImportOptions;
  const report: ImportReport = {
    dry_run: options.dry_run,
    all_or_nothing: options.all_or_nothing,
    invoices: 0,
    created: [],
    would_create: [],
    skipped: [],
    errors: [],
  };
  const checker = await openCsvChecker(run.file);
  try {
    return await importChecked(run, options, report, checker);
  } finally {
    await checker.close();
  }
}

async function importChecked(run: ImportRun, options: InvoiceImportOptions, report: ImportReport, checker: CsvChecker): Promise<ImportOutcome> {
  const { summary } = checker;
  if (!summary.ok) {
    report.errors.push({ line: summary.error.line, field: FILE, message: summary.error.message });
    return outcomeOf(report);
  }
  const { rowsPerInvoice, errors } = summary;
  const count = rowsPerInvoice.length;
  report.invoices = count;
  report.errors.push(...errors);
  if (count === 0 || (options.all_or_nothing && errors.length > 0)) return outcomeOf(report);

  const size = run.batchSize(BATCH_INVOICES);
  const slices = Array.from({ length: Math.ceil(count / size) }, (_, index) => ({
    chunks: chunksOf(rowsPerInvoice, index * size, Math.min((index + 1) * size, count)),
    processed: Math.min((index + 1) * size, count),
  }));
  await run.progress(Math.min(run.committed * size, count), count);
  const auditActor = run.actor;
  const actor: Actor = { actor: "supplier", actorId: auditActor.actorId, ip: auditActor.ip ?? null, userAgent: auditActor.userAgent ?? null };

  if (options.all_or_nothing && !options.dry_run) {
    // One transaction: the first bad invoice stops the writing, the rest is still checked so the
    // report names every bad row, and the rollback keeps nothing.
    const failed = emptyPart();
    try {
      await run.inOneTransaction(async (tx, batch) => {
        for (const slice of slices) {
          await batch(async () => {
            const part = emptyPart();
            for (const chunk of slice.chunks) {
              const toCreate = await checkChunk(tx, run.supplierId, checker, chunk, part);
              if (failed.errors.length === 0 && part.errors.length === 0) {
                await writeBatch({ tx, config: run.services.config, supplierId: run.supplierId, actor }, toCreate, part, true);
              }
            }
            failed.errors.push(...part.errors);
            failed.skipped.push(...part.skipped);
            return { part, processed: slice.processed };
          });
        }
        if (failed.errors.length > 0) throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
      merge(report, failed);
      return outcomeOf(report);
    }
  } else {
    for (const slice of slices.slice(run.committed)) {
      await run.batch(async (tx) => {
        const part = emptyPart();
        for (const chunk of slice.chunks) {
          const toCreate = await checkChunk(tx, run.supplierId, checker, chunk, part);
          if (options.dry_run) part.would_create.push(...toCreate.map(({ csv }) => first(csv)));
          else await writeBatch({ tx, config: run.services.config, supplierId: run.supplierId, actor }, toCreate, part, false);
        }
        return { part, processed: slice.processed };
      });
    }
  }
  for await (const part of run.parts()) merge(report, part as Part);
  return outcomeOf(report);
}

export type StartInvoiceImport = {
  supplierId: string;
  csv: Uint8Array;
  actor: AuditActor;
  options: InvoiceImportOptions;
  idempotencyKey?: string;
};

/** Stores the CSV and queues its import (POST /api/v1/invoices/import, the CLI). */
export function startInvoiceImport(db: Db, params: StartInvoiceImport) {
  return startImport(db, {
    supplierId: params.supplierId,
    kind: "invoices_csv",
    file: params.csv,
    options: params.options,
    actor: params.actor,
    ...(params.idempotencyKey === undefined ? {} : { idempotencyKey: params.idempotencyKey }),
    route: "POST /api/v1/invoices/import",
  });
}
