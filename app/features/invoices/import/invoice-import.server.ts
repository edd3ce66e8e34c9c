// CSV import of invoices (issue #6, item 5) for the CLI and POST /api/v1/invoices/import.
// Every row is validated before anything is written, by the API's validateInvoiceInput. Invoices
// are then written in batches of a few hundred per transaction (createInvoiceBatch: the rules of
// createInvoice, a handful of statements per batch instead of ~15 per invoice); a batch that meets
// anything unusual (an unknown customer id, a taken OCR, a number or customer created meanwhile)
// is redone one invoice at a time through createInvoice itself, which names the row.
// Import is idempotent by invoice number: a number the supplier already has is skipped and
// reported with its id, so re-running a file (or retrying a timed-out request) creates nothing new.
import { and, eq, inArray } from "drizzle-orm";
import { invoices as invoicesTable } from "../../../../db/schema";
import type { Db, DbOrTx, Tx } from "../../../../db/client";
import type { Config } from "~/platform/config.server";
import { decodeCsv, parseCsv } from "~/domain/csv";
import { csvLocation, invoicesFromCsv, type CsvInvoice, type RowError } from "~/domain/invoice-csv";
import type { CreateInvoiceInput } from "~/features/invoices/api.schemas";
import {
  createInvoice, knownConflict, validateInvoiceInput, type Actor, type CreateInvoiceResult,
} from "~/features/invoices/invoices.server";
import { BatchConflict, createInvoiceBatch, type BatchResult } from "~/features/invoices/import/invoice-batch.server";

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

export type ImportParams = {
  supplierId: string;
  /** The API key that acted; null for the operator CLI. */
  apiKeyId: string | null;
  csv: Uint8Array;
  allOrNothing?: boolean;
  dryRun?: boolean;
  origin?: { ip?: string; userAgent?: string };
  /** Called after each invoice is handled, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
};

type ImportConfig = Pick<Config, "linkKeys" | "linkMaxAgeDays" | "publicBaseUrl">;

/** Invoices created side by side on the slow path; each is its own transaction, so a few in flight use the pool well. */
const CONCURRENCY = 4;

/**
 * Invoices per batch transaction, and lines: big enough that per-statement costs vanish (500 →
 * ~10 statements instead of ~7,500), small enough that locks are short and a batch redone one
 * by one after a conflict costs little.
 */
const BATCH_INVOICES = 500;
const BATCH_LINES = 2500;

type Checked = { csv: CsvInvoice; input: CreateInvoiceInput };

function batches(invoices: readonly Checked[]): Checked[][] {
  const out: Checked[][] = [];
  let current: Checked[] = [];
  let lines = 0;
  for (const invoice of invoices) {
    if (current.length > 0 && (current.length >= BATCH_INVOICES || lines + invoice.input.lines.length > BATCH_LINES)) {
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

/**
 * One batch in its own transaction (a savepoint inside the all-or-nothing one); undefined when a
 * concurrent writer took a number, OCR or customer first, and nothing of the batch was kept.
 */
async function tryBatch(
  db: DbOrTx,
  params: { supplierId: string; actor: Actor; batch: Checked[] },
): Promise<BatchResult | undefined> {
  try {
    return await db.transaction((tx: Tx) =>
      createInvoiceBatch(tx, { supplierId: params.supplierId, actor: params.actor, now: new Date(), invoices: params.batch.map((invoice) => invoice.input) }),
    );
  } catch (error) {
    if (error instanceof BatchConflict || knownConflict(error) !== undefined) return undefined;
    throw error;
  }
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

/** API field errors of one invoice as CSV rows and columns. */
function rowErrors(invoice: CsvInvoice, errors: { field: string; message: string }[] | undefined, fallback: string): RowError[] {
  if (!errors || errors.length === 0) return [{ line: invoice.lines[0]!, field: "number", message: fallback }];
  return errors.map((error) => ({ ...csvLocation(invoice, error.field), message: error.message }));
}

const isNumberConflict = (result: CreateInvoiceResult) =>
  !result.ok && result.problem.status === 409 && result.problem.errors?.[0]?.field === "number";

class RollBack extends Error {}

export async function importInvoices(db: Db, config: ImportConfig, params: ImportParams): Promise<ImportReport> {
  const report: ImportReport = {
    dry_run: params.dryRun ?? false,
    all_or_nothing: params.allOrNothing ?? false,
    invoices: 0,
    created: [],
    would_create: [],
    skipped: [],
    errors: [],
  };
  const decoded = decodeCsv(params.csv);
  const parsed = decoded.ok ? parseCsv(decoded.text) : decoded;
  if (!parsed.ok) {
    report.errors.push({ line: parsed.error.line, field: FILE, message: parsed.error.message });
    return report;
  }
  const { invoices: found, errors, count } = invoicesFromCsv(parsed.table);
  report.errors.push(...errors);
  report.invoices = count;

  // Validation first, all invoices: the same checks as the API, reported at rows and columns.
  const valid: Checked[] = [];
  for (const invoice of found) {
    const checked = validateInvoiceInput(invoice.input);
    if (checked.ok) valid.push({ csv: invoice, input: checked.value });
    else report.errors.push(...rowErrors(invoice, checked.problem.errors, checked.problem.detail ?? checked.problem.title));
  }
  const existing = await existingNumbers(db, params.supplierId, valid.map(({ csv }) => csv.number));
  const toCreate = valid.filter(({ csv: invoice }) => {
    const id = existing.get(invoice.number);
    if (id !== undefined) report.skipped.push({ line: invoice.lines[0]!, number: invoice.number, id, reason: "exists" });
    return id === undefined;
  });
  sortReport(report);
  if (report.all_or_nothing && report.errors.length > 0) return report;
  if (report.dry_run) {
    report.would_create = toCreate.map(({ csv }) => ({ line: csv.lines[0]!, number: csv.number }));
    return report;
  }

  const create = (handle: DbOrTx, invoice: CsvInvoice) =>
    createInvoice(handle, config, {
      supplierId: params.supplierId,
      apiKeyId: params.apiKeyId,
      input: invoice.input,
      ...(params.origin ? { origin: params.origin } : {}),
    });
  const actor: Actor = { actor: "supplier", actorId: params.apiKeyId, ip: params.origin?.ip ?? null, userAgent: params.origin?.userAgent ?? null };
  let done = 0;
  const progress = () => params.onProgress?.(++done, toCreate.length);
  const createdRow = ({ csv }: Checked, id: string) => ({ line: csv.lines[0]!, number: csv.number, id });

  if (report.all_or_nothing) {
    const created: ImportReport["created"] = [];
    try {
      await db.transaction(async (tx) => {
        for (const batch of batches(toCreate)) {
          const result = await tryBatch(tx, { supplierId: params.supplierId, actor, batch });
          if (result?.ok) {
            result.ids.forEach((id, index) => created.push(createdRow(batch[index]!, id)));
            batch.forEach(progress);
            continue;
          }
          if (result) {
            const failed = batch[result.index]!.csv;
            report.errors.push(...rowErrors(failed, result.problem.errors, result.problem.detail ?? result.problem.title));
            throw new RollBack();
          }
          for (const { csv: invoice } of batch) {
            // createInvoice's own transaction becomes a savepoint inside this one, so the whole file commits or none of it.
            const single = await create(tx, invoice);
            if (!single.ok) {
              report.errors.push(...rowErrors(invoice, single.problem.errors, single.problem.detail ?? single.problem.title));
              throw new RollBack();
            }
            created.push({ line: invoice.lines[0]!, number: invoice.number, id: single.invoice.id });
            progress();
          }
        }
      });
      report.created = created;
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    sortReport(report);
    return report;
  }

  const raced: CsvInvoice[] = [];
  const oneByOne = async (batch: Checked[]) => {
    const queue = batch.map(({ csv }) => csv);
    const worker = async () => {
      for (let invoice = queue.shift(); invoice; invoice = queue.shift()) {
        const result = await create(db, invoice);
        if (result.ok) report.created.push({ line: invoice.lines[0]!, number: invoice.number, id: result.invoice.id });
        else if (isNumberConflict(result)) raced.push(invoice); // created meanwhile by someone else: skipped, as above
        else report.errors.push(...rowErrors(invoice, result.problem.errors, result.problem.detail ?? result.problem.title));
        progress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batch.length) }, worker));
  };
  for (const batch of batches(toCreate)) {
    const result = await tryBatch(db, { supplierId: params.supplierId, actor, batch });
    if (result?.ok) {
      result.ids.forEach((id, index) => report.created.push(createdRow(batch[index]!, id)));
      batch.forEach(progress);
    } else {
      // The slow path names every row that cannot be created and creates all the others.
      await oneByOne(batch);
    }
  }
  if (raced.length > 0) {
    const ids = await existingNumbers(db, params.supplierId, raced.map((invoice) => invoice.number));
    for (const invoice of raced) {
      report.skipped.push({ line: invoice.lines[0]!, number: invoice.number, id: ids.get(invoice.number) ?? null, reason: "exists" });
    }
  }
  sortReport(report);
  return report;
}

function sortReport(report: ImportReport): void {
  report.created.sort((a, b) => a.line - b.line);
  report.skipped.sort((a, b) => a.line - b.line);
  report.errors.sort((a, b) => a.line - b.line);
}
