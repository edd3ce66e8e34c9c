// The invoice page's forms, each calling the one use case the API calls for the same change (so the
// rows, audit events, emails and webhooks are the API's), with the console's user as the actor.
// A form's fields become the API's input here; the use case validates it and names what is wrong.
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import type { ProblemBody } from "~/api/problem.server";
import { parseAmountInput } from "~/domain/console-invoice-list";
import { RECORDED_METHODS } from "~/domain/payment-methods";
import { isOwnInvoice, reissueLink, type Actor } from "~/features/invoices/invoices.server";
import { cancelInvoice, createCreditNote } from "~/features/invoices/invoice-changes.server";
import { resolveDisputeFromApi } from "~/features/invoices/disputes.server";
import { sendInvoiceNoticeOnce } from "~/features/invoices/invoice-notice.server";
import { recordManualPayment } from "~/features/payments/payments-api.server";
import { pauseReminders, resumeReminders, sendReminderNow, type ReminderRefusal } from "~/features/reminders/reminder-actions.server";
import type { ConsoleActor } from "./console-audit.server";
import { supplierTimeZone } from "./db/invoice-list.server";
import { todayIn } from "~/domain/invoice-status";

export type InvoiceActionContext = { db: Db; config: Config; supplierId: string; invoiceId: string; actor: ConsoleActor; now: Date };

export const INVOICE_INTENTS = [
  "resolve_dispute", "reissue_link", "send", "record_payment", "cancel", "credit", "send_reminder", "pause_reminders", "resume_reminders",
] as const;
export type InvoiceIntent = (typeof INVOICE_INTENTS)[number];

/** Done (with what to show once, e.g. a new portal link), unknown invoice, or refused with the reasons. */
export type InvoiceActionResult =
  | { ok: true; intent: InvoiceIntent; shown?: string }
  | { ok: false; notFound: true }
  | {
      ok: false;
      notFound: false;
      intent: InvoiceIntent;
      /** The use case's refusal as the API words it (its detail and each field's message). */
      problem: { detail: string | null; errors: { field: string; message: string }[] };
      /** A partial credit without an amount: the console's own question, before any use case. */
      missingAmount?: true;
      /** A reminder action's refusal by its code, worded in the user's language (console.invoice.reminderRefused.*). */
      refusal?: ReminderRefusal | "until_missing" | "until_invalid" | "reason_invalid";
    };

type Fields = (name: string) => string;

const asActor = (actor: ConsoleActor): Actor => ({ actor: "user", actorId: actor.userId, ip: actor.ip || null, userAgent: actor.userAgent || null });
const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());

function refused(intent: InvoiceIntent, problem: ProblemBody, refusal?: ReminderRefusal): InvoiceActionResult {
  if (problem.status === 404) return { ok: false, notFound: true };
  return {
    ok: false, notFound: false, intent, problem: { detail: problem.detail ?? problem.title, errors: problem.errors ?? [] },
    ...(refusal ? { refusal } : {}),
  };
}

/** A reminder use case's answer as the page's: its refusal code travels along, for the user's language. */
function reminderOutcome(intent: InvoiceIntent, result: { ok: true } | { ok: false; problem: ProblemBody; refusal?: ReminderRefusal }): InvoiceActionResult {
  return result.ok ? { ok: true, intent } : refused(intent, result.problem, result.refusal);
}

/** A form amount in major units as the API's minor units; text the use case then refuses by name. */
function minor(text: string): number | string {
  return parseAmountInput(text) ?? text;
}

/**
 * A date the form gives (YYYY-MM-DD) as the API's instant: noon UTC, the same calendar day everywhere
 * in Europe. Today's date before noon UTC is now: noon would be in the future, which the API refuses.
 */
export function receivedAt(date: string, now: Date, today: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const noon = new Date(`${date}T12:00:00Z`);
  return date === today && noon > now ? now.toISOString() : noon.toISOString();
}

/**
 * A partial credit as one line: the amount including VAT at one rate, net and VAT split the way
 * the invoice's own lines are (VAT rounded to the minor unit), all negative.
 */
function creditLine(description: string, gross: number, vatRate: number) {
  const net = Math.round((gross * 100) / (100 + vatRate));
  const vat = gross - net;
  return {
    lines: [{ description, quantity: 1, unit_price: -net, vat_rate: vatRate, net: -net, vat: -vat }],
    total_net: -net, total_vat: -vat, total: -gross,
  };
}

/** Each intent's use case, fed from the form. */
export async function runInvoiceAction(context: InvoiceActionContext, intent: InvoiceIntent, field: Fields): Promise<InvoiceActionResult> {
  const { db, config, supplierId, invoiceId, now } = context;
  const actor = asActor(context.actor);
  const idempotencyKey = optional(field("submission"));
  const change = { supplierId, apiKeyId: null, id: invoiceId, actor, idempotencyKey, now };
  // Another supplier's invoice is unknown before any input is read: a 404, never a 422 about a field.
  if (!(await isOwnInvoice(db, supplierId, invoiceId))) return { ok: false, notFound: true };
  switch (intent) {
    case "resolve_dispute": {
      const result = await resolveDisputeFromApi(db, config, {
        supplierId, userId: context.actor.userId, ip: actor.ip, userAgent: actor.userAgent, invoiceId, disputeId: field("dispute_id"), idempotencyKey, now,
        input: { status: field("status"), message: optional(field("message")), credit_note_reference: optional(field("credit_note_reference")) },
      });
      return result.ok ? { ok: true, intent } : refused(intent, result.problem);
    }
    case "reissue_link": {
      const result = await reissueLink(db, config, { supplierId, apiKeyId: null, actor, invoiceId, idempotencyKey });
      return result.ok ? { ok: true, intent, shown: result.link.portal_url } : refused(intent, result.problem);
    }
    case "send": {
      const result = await sendInvoiceNoticeOnce(db, { supplierId, invoiceId, actor, message: optional(field("message")) ?? null, idempotencyKey });
      return result.ok ? { ok: true, intent } : refused(intent, result.problem);
    }
    case "record_payment": {
      const method = field("method");
      const result = await recordManualPayment(db, {
        supplierId, invoiceId, actor, idempotencyKey, now,
        input: {
          amount: minor(field("amount")),
          currency: field("currency"),
          method: (RECORDED_METHODS as readonly string[]).includes(method) ? method : method || undefined,
          received_at: optional(field("received_on")) && receivedAt(field("received_on").trim(), now, todayIn(await supplierTimeZone(db, supplierId), now)),
          reference: optional(field("reference")),
          note: optional(field("note")),
        },
      });
      return result.ok ? { ok: true, intent } : refused(intent, result.problem);
    }
    case "cancel": {
      const result = await cancelInvoice(db, config, { ...change, input: { reason: optional(field("reason")) } });
      return result.ok ? { ok: true, intent } : refused(intent, result.problem);
    }
    case "send_reminder":
      return reminderOutcome(intent, await sendReminderNow(db, config, { supplierId, invoiceId, actor, idempotencyKey, now }));
    case "pause_reminders": {
      const until = field("pause") === "until" ? field("until").trim() : "";
      if (field("pause") === "until" && until === "") {
        return { ok: false, notFound: false, intent, problem: { detail: null, errors: [] }, refusal: "until_missing" };
      }
      const input = { ...(until ? { until } : {}), ...(optional(field("reason")) ? { reason: optional(field("reason")) } : {}) };
      const result = await pauseReminders(db, { supplierId, invoiceId, actor, idempotencyKey, now, input });
      // The schema's field errors are the API's English: the page names the field in the user's language instead.
      if (!result.ok && !("refusal" in result) && result.problem.status === 422) {
        const field = result.problem.errors?.[0]?.field;
        return { ok: false, notFound: false, intent, problem: { detail: null, errors: [] }, refusal: field === "reason" ? "reason_invalid" : "until_invalid" };
      }
      return reminderOutcome(intent, result);
    }
    case "resume_reminders":
      return reminderOutcome(intent, await resumeReminders(db, { supplierId, invoiceId, actor, idempotencyKey, now }));
    case "credit": {
      const partly = field("scope") === "part";
      const amount = parseAmountInput(field("amount"));
      const rate = Number(field("vat_rate"));
      if (partly && (amount === undefined || amount <= 0)) {
        return { ok: false, notFound: false, intent, problem: { detail: null, errors: [] }, missingAmount: true };
      }
      const input = {
        number: field("number").trim(),
        reason: optional(field("reason")),
        ...(partly && amount !== undefined ? creditLine(optional(field("description")) ?? field("number").trim(), amount, Number.isFinite(rate) ? rate : 25) : {}),
      };
      const result = await createCreditNote(db, config, { ...change, input });
      return result.ok ? { ok: true, intent } : refused(intent, result.problem);
    }
  }
}
