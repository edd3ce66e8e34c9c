// An invoice's create body checked without a database: the schema, then lines, VAT and totals.
// Its own small module so the CSV import's checking thread (import/csv-check.worker.ts) loads
// only this, zod and the domain, not the use cases and their database code.
import { createInvoiceSchema, type CreateInvoiceInput } from "~/features/invoices/api.schemas";
import { fieldErrors, fieldPath, invalid, type Failure, type ProblemBody } from "~/api/problem.server";
import { checkInvoiceTotals, type InvoiceAmounts } from "~/domain/invoice-totals";
import { currencyExponent, type CurrencyCode } from "~/domain/money";

/** Validates everything that needs no database, so a bad request never opens a transaction. */
export function validateInvoiceInput(input: unknown): { ok: true; value: CreateInvoiceInput } | Failure {
  const parsed = createInvoiceSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const value = parsed.data;
  const totals = totalsProblem(value, value.currency);
  return totals ? { ok: false, problem: totals } : { ok: true, value };
}

/** Lines, VAT and total must add up (security P6); a 422 with each wrong field, else undefined. */
export function totalsProblem(amounts: InvoiceAmounts, currency: string): ProblemBody | undefined {
  const problems = checkInvoiceTotals(amounts, currencyExponent(currency as CurrencyCode));
  if (problems.length === 0) return undefined;
  const errors = problems.map((problem) => ({ field: fieldPath(problem.path), message: problem.message }));
  return invalid(errors, "The invoice does not add up.");
}
