// The inbox page's work on an unmatched bank payment: place it on one invoice, mark it to be paid
// back, mark it not ours. Each calls the use case the API calls (allocateUnappliedPayment,
// markUnappliedPayment) with the console's user as the actor, and the queue row's version from the
// form: a form read before someone else changed the payment books nothing (the API's 409).
import type { Db } from "../../../db/client";
import type { ProblemBody } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { parseAmountInput } from "~/domain/console-invoice-list";
import { allocateUnappliedPayment, invoiceIdFromClerk, markUnappliedPayment } from "~/features/bank-files/unapplied-payments.server";
import type { Actor } from "~/platform/audit/db/events.server";
import { findInboxItem } from "./db/inbox-items.server";
import type { InboxContext } from "./inbox.server";

export const UNAPPLIED_INTENTS = ["allocate", "refund", "not_ours"] as const;
export type UnappliedIntent = (typeof UNAPPLIED_INTENTS)[number];

export type UnappliedActionResult =
  | { ok: true }
  | { ok: false; notFound: true }
  /** Someone else changed the payment since this form was read: nothing was booked. */
  | { ok: false; notFound: false; conflict: true }
  /** The amount is not a sum of money (the console's own question, before any use case). */
  | { ok: false; notFound: false; conflict: false; badAmount: true }
  /** The use case's refusal, in its words (its detail and each field's message). */
  | { ok: false; notFound: false; conflict: false; problem: { detail: string | null; errors: { field: string; message: string }[] } };

type Fields = (name: string) => string;

const asActor = (context: InboxContext): Actor => ({ actor: "user", actorId: context.actor.userId, ip: context.actor.ip || null, userAgent: context.actor.userAgent || null });
const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
/** The form's text as the API's number: a non-number goes through so the use case names it. */
const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);

function refused(problem: ProblemBody): UnappliedActionResult {
  if (problem.status === 404) return { ok: false, notFound: true };
  if (problem.status === 409) return { ok: false, notFound: false, conflict: true };
  return { ok: false, notFound: false, conflict: false, problem: { detail: problem.detail ?? problem.title, errors: problem.errors ?? [] } };
}

export async function runUnappliedIntent(db: Db, context: InboxContext, itemId: string, intent: UnappliedIntent, field: Fields): Promise<UnappliedActionResult> {
  if (!isPublicId("ibx", itemId)) return { ok: false, notFound: true };
  const item = await findInboxItem(db, context.supplierId, itemId);
  if (!item || item.kind !== "unapplied_payment") return { ok: false, notFound: true };
  const change = { supplierId: context.supplierId, id: item.sourceId, actor: asActor(context), now: context.now };
  const note = optional(field("note"));
  const version = whole(field("version"));
  if (intent === "allocate") {
    const typed = field("invoice");
    const invoiceId = (await invoiceIdFromClerk(db, context.supplierId, typed)) ?? typed.trim();
    const amount = parseAmountInput(field("amount"));
    if (amount === undefined) return { ok: false, notFound: false, conflict: false, badAmount: true };
    const input = { version, note, parts: [{ invoice_id: invoiceId, amount, overpayment: field("overpayment") === "on" || undefined }] };
    const result = await allocateUnappliedPayment(db, { ...change, input });
    return result.ok ? { ok: true } : refused(result.problem);
  }
  const result = await markUnappliedPayment(db, { ...change, input: { version, note }, state: intent === "refund" ? "refund_pending" : "not_ours" });
  return result.ok ? { ok: true } : refused(result.problem);
}
