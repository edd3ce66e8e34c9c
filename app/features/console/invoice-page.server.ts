// What the console's invoice page (/app/invoices/:id) shows, read through the same use cases the
// API answers with (the invoice, its payments, disputes, deliveries, reminders, timeline and pay
// link), plus its emails with their delivery state and its webhook deliveries (the most recent
// WEBHOOK_ROWS). Another supplier's id reads as unknown.
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { todayIn } from "~/domain/invoice-status";
import { consoleInvoiceStatuses, type ConsoleInvoiceStatus } from "~/domain/console-invoice-list";
import { getInvoice, invoiceTimeline } from "~/features/invoices/invoices.server";
import type { InvoiceJson } from "~/features/invoices/api.json.server";
import { listDisputes, type DisputeJson } from "~/features/invoices/disputes.server";
import { listDeliveries, type DeliveryJson } from "~/features/invoices/deliveries.server";
import { listPaymentsPage } from "~/features/payments/payments-api.server";
import type { PaymentJson } from "~/features/payments/api.json.server";
import { invoiceReminders } from "~/features/reminders/reminders.server";
import { previewReminder, type ReminderPlan, type ReminderRefusal } from "~/features/reminders/reminder-actions.server";
import { getPayLink } from "~/features/links/pay-links.server";
import { hasSupplierPdf, listInvoiceEmails, listInvoiceWebhooks, type InvoiceWebhookRow } from "./db/invoice-page.server";
import { supplierTimeZone } from "./db/invoice-list.server";
import { getUser } from "./db/users.server";

/** A webhook delivery's state as the clerk reads it: not yet tried, retrying after a failure, or final. */
export type WebhookState = "pending" | "retrying" | "delivered" | "failed";

/** One line of the timeline: an audit event, an email (with its delivery), a reminder or a webhook delivery. */
export type TimelineEntry = {
  at: string;
  kind: "event" | "email" | "reminder" | "webhook";
  /** The event type, the email template, the reminder step or the webhook's event type. */
  what: string;
  /** Who acted (events), the recipient (emails), the endpoint's URL (webhooks). */
  who: string | null;
  /** The email's delivery state, the reminder's status or the webhook's state. */
  state: string | null;
  webhook?: { endpointId: string; state: WebhookState; attempts: number; lastStatusCode: number | null };
};

/** How many of an invoice's webhook deliveries the page shows; the endpoint's log has them all. */
export const WEBHOOK_ROWS = 20;

export type ConsoleInvoicePage = {
  invoice: InvoiceJson;
  statuses: ConsoleInvoiceStatus[];
  timeZone: string;
  payments: PaymentJson[];
  disputes: DisputeJson[];
  deliveries: DeliveryJson[];
  timeline: TimelineEntry[];
  payLink: { url: string } | null;
  hasSupplierPdf: boolean;
  /** More webhook deliveries exist than the timeline shows. */
  moreWebhooks: boolean;
  /** What "Send a reminder now" would send (step, fee, interest), or why it may not. */
  nextReminder: ({ ok: true } & ReminderPlan) | { ok: false; refusal: ReminderRefusal } | null;
  /** The email of the console user who paused the reminders, when one did. */
  pausedBy: string | null;
};

const PAGE_ROWS = new URLSearchParams({ limit: "100" });

function emailState(email: { status: string; deliveredAt: Date | null; openedAt: Date | null; bouncedAt: Date | null }): string {
  if (email.bouncedAt) return "bounced";
  if (email.openedAt) return "opened";
  if (email.deliveredAt) return "delivered";
  return email.status;
}

export function webhookState(delivery: Pick<InvoiceWebhookRow, "status" | "attempts">): WebhookState {
  if (delivery.status === "succeeded") return "delivered";
  if (delivery.status === "failed") return "failed";
  return delivery.attempts > 0 ? "retrying" : "pending";
}

function webhookEntry(delivery: InvoiceWebhookRow): TimelineEntry {
  const state = webhookState(delivery);
  return {
    at: delivery.createdAt.toISOString(),
    kind: "webhook",
    what: delivery.type,
    who: delivery.endpointUrl,
    state,
    webhook: { endpointId: delivery.endpointId, state, attempts: delivery.attempts, lastStatusCode: delivery.lastStatusCode },
  };
}

async function pausedByEmail(db: Db, invoice: InvoiceJson): Promise<string | null> {
  const pause = invoice.reminder_pause;
  if (pause?.by !== "user" || !pause.by_id) return null;
  return (await getUser(db, pause.by_id))?.email ?? null;
}

/** The page, or null when the supplier has no such invoice. */
export async function consoleInvoicePage(db: Db, config: Config, supplierId: string, invoiceId: string, now: Date): Promise<ConsoleInvoicePage | null> {
  const invoice = await getInvoice(db, { supplierId, id: invoiceId, now });
  if (!invoice) return null;
  const query = new URLSearchParams({ invoice: invoiceId, limit: "100" });
  const [timeZone, payments, disputes, deliveries, events, reminders, emails, webhooks, payLink, supplierPdf, nextReminder] = await Promise.all([
    supplierTimeZone(db, supplierId),
    listPaymentsPage(db, { supplierId, invoiceId, query: PAGE_ROWS }),
    listDisputes(db, { supplierId, query }),
    listDeliveries(db, supplierId, invoiceId),
    invoiceTimeline(db, supplierId, invoiceId),
    invoiceReminders(db, supplierId, invoiceId),
    listInvoiceEmails(db, supplierId, invoiceId),
    listInvoiceWebhooks(db, supplierId, invoiceId, WEBHOOK_ROWS + 1),
    getPayLink(db, config, { supplierId, invoiceId }),
    hasSupplierPdf(db, supplierId, invoiceId),
    previewReminder(db, config, supplierId, invoiceId, now),
  ]);
  const timeline: TimelineEntry[] = [
    ...(events ?? []).map((e) => ({ at: e.createdAt.toISOString(), kind: "event" as const, what: e.type, who: e.actor, state: null })),
    ...emails.map((e) => ({ at: e.createdAt.toISOString(), kind: "email" as const, what: e.template, who: e.toAddress, state: emailState(e) })),
    ...(reminders ?? []).map((r) => ({ at: r.createdAt.toISOString(), kind: "reminder" as const, what: String(r.step), who: null, state: r.status })),
    ...webhooks.slice(0, WEBHOOK_ROWS).map(webhookEntry),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const statuses = consoleInvoiceStatuses({
    dueDate: invoice.due_date,
    today: todayIn(timeZone, now),
    total: invoice.total,
    amountPaid: invoice.amount_paid,
    cancelledAt: invoice.cancelled_at ? new Date(invoice.cancelled_at) : null,
    disputed: invoice.disputed,
    deliveryProblem: invoice.delivery_status === "problem",
  });
  return {
    invoice,
    statuses,
    timeZone,
    payments: payments.ok ? payments.page.data : [],
    disputes: disputes.ok ? disputes.page.data : [],
    deliveries: deliveries ?? [],
    timeline,
    payLink: payLink.kind === "ok" ? { url: payLink.payLink.url } : null,
    hasSupplierPdf: supplierPdf,
    moreWebhooks: webhooks.length > WEBHOOK_ROWS,
    nextReminder,
    pausedBy: await pausedByEmail(db, invoice),
  };
}
