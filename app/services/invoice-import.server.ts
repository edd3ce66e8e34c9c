// CSV import of invoices (issue #6, item 5) for the CLI and POST /api/v1/invoices/import.
// Every row is validated before anything is written; each invoice is then created by
// createInvoice, the use case behind POST /api/v1/invoices, so the rules live in one place.
// Import is idempotent by invoice number: a number the supplier already has is skipped and
// reported with its id, so re-running a file (or retrying a timed-out request) creates nothing new.
import { and, eq, inArray } from "drizzle-orm";
import { invoices as invoicesTable } from "../../db/schema";
import type { Db, DbOrTx } from "../../db/client";
import type { Config } from "~/config.server";
import { decodeCsv, parseCsv } from "~/domain/csv";
import { csvLocation, invoicesFromCsv, type CsvInvoice, type RowError } from "~/domain/invoice-csv";
import { createInvoice, validateInvoiceInput, type CreateInvoiceResult } from "~/services/invoices.server";

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

/** Invoices created side by side; each is its own transaction, so a few in flight use the pool well. */
const CONCURRENCY = 4;

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
  const valid: CsvInvoice[] = [];
  for (const invoice of found) {
    const checked = validateInvoiceInput(invoice.input);
    if (checked.ok) valid.push(invoice);
    else report.errors.push(...rowErrors(invoice, checked.problem.errors, checked.problem.detail ?? checked.problem.title));
  }
  const existing = await existingNumbers(db, params.supplierId, valid.map((invoice) => invoice.number));
  const toCreate = valid.filter((invoice) => {
    const id = existing.get(invoice.number);
    if (id !== undefined) report.skipped.push({ line: invoice.lines[0]!, number: invoice.number, id, reason: "exists" });
    return id === undefined;
  });
  sortReport(report);
  if (report.all_or_nothing && report.errors.length > 0) return report;
  if (report.dry_run) {
    report.would_create = toCreate.map((invoice) => ({ line: invoice.lines[0]!, number: invoice.number }));
    return report;
  }

  const create = (handle: DbOrTx, invoice: CsvInvoice) =>
    createInvoice(handle, config, {
      supplierId: params.supplierId,
      apiKeyId: params.apiKeyId,
      input: invoice.input,
      ...(params.origin ? { origin: params.origin } : {}),
    });
  let done = 0;
  const progress = () => params.onProgress?.(++done, toCreate.length);

  if (report.all_or_nothing) {
    const created: ImportReport["created"] = [];
    try {
      await db.transaction(async (tx) => {
        for (const invoice of toCreate) {
          // createInvoice's own transaction becomes a savepoint inside this one, so the whole file commits or none of it.
          const result = await create(tx, invoice);
          if (!result.ok) {
            report.errors.push(...rowErrors(invoice, result.problem.errors, result.problem.detail ?? result.problem.title));
            throw new RollBack();
          }
          created.push({ line: invoice.lines[0]!, number: invoice.number, id: result.invoice.id });
          progress();
        }
      });
      report.created = created;
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    sortReport(report);
    return report;
  }

  const queue = [...toCreate];
  const raced: CsvInvoice[] = [];
  const worker = async () => {
    for (let invoice = queue.shift(); invoice; invoice = queue.shift()) {
      const result = await create(db, invoice);
      if (result.ok) report.created.push({ line: invoice.lines[0]!, number: invoice.number, id: result.invoice.id });
      else if (isNumberConflict(result)) raced.push(invoice); // created meanwhile by someone else: skipped, as above
      else report.errors.push(...rowErrors(invoice, result.problem.errors, result.problem.detail ?? result.problem.title));
      progress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, toCreate.length) }, worker));
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
