// The CSV import's checking, without a database: the file scanned into invoices, and a range of
// them built and validated as POST /api/v1/invoices validates a body. Runs in the checking
// thread (csv-check.worker.ts); the job's thread only books what comes back.
import { csvInvoiceOfRefs, csvLocation, scanCsvInvoices, type CsvInvoice, type CsvInvoiceFile, type RowError } from "~/domain/invoice-csv";
import { decodeCsv, type CsvError } from "~/domain/csv";
import type { CreateInvoiceInput } from "~/features/invoices/api.schemas";
import { validateInvoiceInput } from "~/features/invoices/invoice-input.server";
import type { ProblemBody } from "~/api/problem.server";

export type Checked = { csv: CsvInvoice; input: CreateInvoiceInput };

/** What the job needs to know of a scanned file: its invoices' sizes (rows each) and the errors found so far. */
export type ScanSummary =
  | { ok: true; rowsPerInvoice: number[]; errors: RowError[] }
  | { ok: false; error: CsvError };

export type CheckedRange = { checked: Checked[]; errors: RowError[] };

/** API field errors of one invoice as CSV rows and columns. */
export function rowErrors(invoice: CsvInvoice, problem: ProblemBody): RowError[] {
  const fallback = problem.detail ?? problem.title;
  if (!problem.errors || problem.errors.length === 0) return [{ line: invoice.lines[0]!, field: "number", message: fallback }];
  return problem.errors.map((error) => ({ ...csvLocation(invoice, error.field), message: error.message }));
}

export function scanFile(bytes: Uint8Array): { summary: ScanSummary; file?: CsvInvoiceFile } {
  const decoded = decodeCsv(bytes);
  const scanned = decoded.ok ? scanCsvInvoices(decoded.text) : decoded;
  if (!scanned.ok) return { summary: { ok: false, error: scanned.error } };
  const { file } = scanned;
  return { summary: { ok: true, rowsPerInvoice: file.groups.map((group) => group.rows.length), errors: file.errors }, file };
}

/** Invoices [from, to) of the file built and validated; a bad one's problems become row errors. */
export function checkRange(file: CsvInvoiceFile, from: number, to: number): CheckedRange {
  const checked: Checked[] = [];
  const errors: RowError[] = [];
  for (const group of file.groups.slice(from, to)) {
    const invoice = csvInvoiceOfRefs(file, group, errors);
    if (!invoice) continue;
    const result = validateInvoiceInput(invoice.input);
    if (result.ok) checked.push({ csv: invoice, input: result.value });
    else errors.push(...rowErrors(invoice, result.problem));
  }
  return { checked, errors };
}
