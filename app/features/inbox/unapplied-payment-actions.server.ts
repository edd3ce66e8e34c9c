// The inbox page's work on an unmatched bank payment: place it on one or several invoices (rows of
// invoice and amount, more rows by re-posting the form), mark it to be paid back, mark it not ours. Each calls the use case the API calls (allocateUnappliedPayment,
// markUnappliedPayment) with the console's user as the actor, and the queue row's version from the
// form: a form read before someone else changed the payment books nothing (the API's 409).
import type { Db } from "../../../db/client";
import type { ProblemBody } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { parseAmountInput } from "~/domain/console-invoice-list";
import { allocateUnappliedPayment, invoiceIdFromClerk, markUnappliedPayment } from "~/features/bank-files/unapplied-payments.server";
import { findUnappliedPayment } from "~/features/bank-files/db/unapplied-payments.server";
import { invoiceIdByOcr } from "./db/inbox-invoices.server";
import type { Actor } from "~/platform/audit/db/events.server";
import { findInboxItem } from "./db/inbox-items.server";
import type { InboxContext } from "./inbox.server";

export const UNAPPLIED_INTENTS = ["allocate", "allocate_more", "refund", "not_ours"] as const;
export type UnappliedIntent = (typeof UNAPPLIED_INTENTS)[number];

/** How many blank invoice rows the form offers, and adds with "more rows". */
export const ALLOCATION_ROWS = 5;
/** A form never holds more rows than this (a re-post cannot grow it without end). */
const MAX_ROWS = 50;

/** One row of the allocation form as the clerk typed it. */
export type AllocationRow = { invoice: string; amount: string; overpayment: boolean };
/** The clerk's rows, echoed back so the form keeps them; their sum and what the payment has left. */
export type AllocationDraft = {
  rows: AllocationRow[];
  /** The sum of the rows' amounts (minor units); rows without a valid amount count nothing. */
  total: number;
  remaining: number;
  currency: string;
  /** The form's row (0-based) of each part sent to the use case, to name a part's refusal by its row. */
  partRows: number[];
  /** Rows the console refused before any use case: no invoice, or no sum of money. */
  rowErrors: { row: number; error: "invoice" | "amount" }[];
};

export type UnappliedActionResult =
  | { ok: true }
  | { ok: false; notFound: true }
  /** Someone else changed the payment since this form was read: nothing was booked. */
  | { ok: false; notFound: false; conflict: true }
  /** More rows asked for: the form again with the rows typed so far. */
  | { ok: false; notFound: false; conflict: false; more: true; draft: AllocationDraft }
  /** A row's amount is not a sum of money, or a row lacks its invoice (the console's own questions). */
  | { ok: false; notFound: false; conflict: false; badAmount: true; draft?: AllocationDraft }
  /** No row at all, or rows adding up to more than the payment has left: nothing was booked. */
  | { ok: false; notFound: false; conflict: false; split: "empty" | "too_much"; draft: AllocationDraft }
  /** The use case's refusal, in its words (its detail and each field's message). */
  | { ok: false; notFound: false; conflict: false; problem: { detail: string | null; errors: { field: string; message: string }[] }; draft?: AllocationDraft };

type Fields = (name: string) => string;
/** Every value of a repeated field, in the form's order. */
type AllFields = (name: string) => string[];

/**
 * The form's rows: `invoice` and `amount` repeat once per row; a row's over-payment box sends its
 * row number (a lone box may send "on"). Rows left blank are kept, so the form shows them again.
 */
function rowsOf(all: AllFields): AllocationRow[] {
  const invoices = all("invoice");
  const amounts = all("amount");
  const ticked = new Set(all("overpayment"));
  const count = Math.min(Math.max(invoices.length, amounts.length), MAX_ROWS);
  return Array.from({ length: count }, (_, row) => ({
    invoice: (invoices[row] ?? "").trim(),
    amount: (amounts[row] ?? "").trim(),
    overpayment: ticked.has(String(row)) || (count === 1 && ticked.has("on")),
  }));
}

/** A typed invoice as an id of the supplier's: its id, number or OCR reference. */
async function invoiceOf(db: Db, supplierId: string, typed: string): Promise<string> {
  return (await invoiceIdFromClerk(db, supplierId, typed)) ?? (/^\d{2,25}$/.test(typed) ? await invoiceIdByOcr(db, supplierId, typed) : undefined) ?? typed;
}

const asActor = (context: InboxContext): Actor => ({ actor: "user", actorId: context.actor.userId, ip: context.actor.ip || null, userAgent: context.actor.userAgent || null });
const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
/** The form's text as the API's number: a non-number goes through so the use case names it. */
const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);

function refused(problem: ProblemBody): UnappliedActionResult {
  if (problem.status === 404) return { ok: false, notFound: true };
  if (problem.status === 409) return { ok: false, notFound: false, conflict: true };
  return { ok: false, notFound: false, conflict: false, problem: { detail: problem.detail ?? problem.title, errors: problem.errors ?? [] } };
}

export async function runUnappliedIntent(
  db: Db,
  context: InboxContext,
  itemId: string,
  intent: UnappliedIntent,
  field: Fields,
  all: AllFields = (name) => [field(name)],
): Promise<UnappliedActionResult> {
  if (!isPublicId("ibx", itemId)) return { ok: false, notFound: true };
  const item = await findInboxItem(db, context.supplierId, itemId);
  if (!item || item.kind !== "unapplied_payment") return { ok: false, notFound: true };
  const change = { supplierId: context.supplierId, id: item.sourceId, actor: asActor(context), now: context.now };
  const note = optional(field("note"));
  const version = whole(field("version"));
  if (intent === "allocate" || intent === "allocate_more") {
    const payment = await findUnappliedPayment(db, context.supplierId, item.sourceId);
    if (!payment) return { ok: false, notFound: true };
    // A form read before someone else's change: their change first, as the use case would (409).
    if (payment.version !== version) return { ok: false, notFound: false, conflict: true };
    const rows = rowsOf(all);
    const amounts = rows.map((row) => (row.amount === "" ? undefined : parseAmountInput(row.amount)));
    const filled = rows.flatMap((row, index) => (row.invoice === "" && row.amount === "" ? [] : [index]));
    const draft: AllocationDraft = {
      rows,
      total: amounts.reduce<number>((sum, amount) => sum + (amount ?? 0), 0),
      remaining: payment.remaining,
      currency: payment.currency,
      partRows: filled,
      rowErrors: filled.flatMap((row) => [
        ...(rows[row]!.invoice === "" ? [{ row, error: "invoice" as const }] : []),
        ...(amounts[row] === undefined ? [{ row, error: "amount" as const }] : []),
      ]),
    };
    const no = { ok: false, notFound: false, conflict: false } as const;
    if (intent === "allocate_more") {
      const blank = Array.from({ length: ALLOCATION_ROWS }, () => ({ invoice: "", amount: "", overpayment: false }));
      return { ...no, more: true, draft: { ...draft, rows: [...rows, ...blank].slice(0, MAX_ROWS), rowErrors: [] } };
    }
    if (filled.length === 0) return { ...no, split: "empty", draft };
    if (draft.rowErrors.length > 0) return { ...no, badAmount: true, draft };
    // The use case refuses this too, but the clerk reads it best as the rows' sum against what is left.
    if (draft.total > payment.remaining) return { ...no, split: "too_much", draft };
    const parts = await Promise.all(
      filled.map(async (row) => ({ invoice_id: await invoiceOf(db, context.supplierId, rows[row]!.invoice), amount: amounts[row]!, overpayment: rows[row]!.overpayment || undefined })),
    );
    const result = await allocateUnappliedPayment(db, { ...change, input: { version, note, parts } });
    if (result.ok) return { ok: true };
    const answer = refused(result.problem);
    return "problem" in answer ? { ...answer, draft } : answer;
  }
  const result = await markUnappliedPayment(db, { ...change, input: { version, note }, state: intent === "refund" ? "refund_pending" : "not_ours" });
  return result.ok ? { ok: true } : refused(result.problem);
}
