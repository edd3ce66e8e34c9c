// The invoice as the API shows it. Field names are snake_case like the request bodies.
import { apiStatus, todayIn, type ApiInvoiceStatus } from "~/domain/invoice-status";
import type { ApiInvoiceRow } from "~/features/invoices/db/invoices.server";
import type { EventRow } from "~/platform/audit/db/events.server";

export type InvoiceLineJson = {
  description: string;
  quantity: number;
  unit: string | null;
  unit_price: number;
  vat_rate: number;
  net: number;
  vat: number;
};

/**
 * `portal_url` appears only where a link was just issued (create, and POST …/links). The database
 * keeps only a hash of each link's secret, so an existing link cannot be shown again; that is
 * what keeps a database dump from yielding working links (security L1). GET therefore omits it.
 */
export type InvoiceJson = {
  id: string;
  number: string;
  currency: string;
  issue_date: string;
  due_date: string;
  /** contacts_confirmed_at: when the customer last confirmed its billing contacts (a campaign answer); null: never. */
  customer: { id: string; external_id: string | null; name: string; contacts_confirmed_at: string | null };
  lines: InvoiceLineJson[];
  total_net: number;
  total_vat: number;
  rounding: number;
  total: number;
  ocr: string;
  portal_url?: string;
  amount_paid: number;
  amount_due: number;
  status: ApiInvoiceStatus;
  /** While a payer's "I have paid" waits for the money, reminders pause until then; null otherwise. */
  payment_reported_until: string | null;
  /** True while no reminder goes out for now: a clerk's pause or the payer's "I have paid" is running. */
  reminders_paused: boolean;
  /**
   * The supplier's own pause (console or API), still running; null otherwise. `until` null: until
   * resumed. Resuming ends this pause only: a running payment_reported_until keeps reminders paused.
   */
  reminder_pause: ReminderPauseJson | null;
  confirmed_at: string | null;
  /** What the payer typed when confirming (all optional), so the ERP can match its PO. */
  confirmed_by: string | null;
  confirmed_reference: string | null;
  confirmed_cost_centre: string | null;
  /** True while a problem the payer reported is open; reminders pause meanwhile. */
  disputed: boolean;
  delivery_status: "none" | "pending" | "approved" | "problem";
  cancelled_at: string | null;
  /** On a credit note (total ≤ 0): the invoice it credits; null on invoices. */
  credits_invoice_id: string | null;
  created_at: string;
};

export type ReminderPauseJson = {
  paused_at: string;
  until: string | null;
  /** Who paused: a console user or an API key (its id), for the audit trail. */
  by: "user" | "api_key";
  by_id: string | null;
  reason: string | null;
};

type PauseColumns = Pick<ApiInvoiceRow, "remindersPausedAt" | "remindersPausedUntil" | "remindersPausedBy" | "remindersPausedById" | "remindersPauseReason">;

/** The clerk's pause as the API shows it, or null when there is none or its date has passed. */
export function reminderPauseJson(row: PauseColumns, now: Date): ReminderPauseJson | null {
  if (row.remindersPausedAt === null) return null;
  if (row.remindersPausedUntil !== null && row.remindersPausedUntil <= now) return null;
  return {
    paused_at: row.remindersPausedAt.toISOString(),
    until: row.remindersPausedUntil?.toISOString() ?? null,
    by: row.remindersPausedBy === "user" ? "user" : "api_key",
    by_id: row.remindersPausedById,
    reason: row.remindersPauseReason,
  };
}

export function invoiceJson(row: ApiInvoiceRow, timeZone: string, now: Date, portalUrl?: string): InvoiceJson {
  const status = apiStatus({
    dueDate: row.dueDate,
    today: todayIn(timeZone, now),
    total: row.total,
    amountPaid: row.amountPaid,
    cancelledAt: row.cancelledAt,
    disputed: row.disputed,
  });
  const settled = status === "cancelled" || status === "paid";
  const paymentReportedUntil = row.paymentReportedUntil && row.paymentReportedUntil > now && !settled ? row.paymentReportedUntil.toISOString() : null;
  const pause = reminderPauseJson(row, now);
  return {
    id: row.id,
    number: row.number,
    currency: row.currency,
    issue_date: row.issueDate,
    due_date: row.dueDate,
    customer: {
      id: row.customer.id,
      external_id: row.customer.externalId,
      name: row.customer.name,
      contacts_confirmed_at: row.customer.contactsConfirmedAt?.toISOString() ?? null,
    },
    lines: row.lines.map((line) => ({
      description: line.description,
      // numeric columns arrive as exact decimal strings; these have at most 3 and 2 decimals.
      quantity: Number(line.quantity),
      unit: line.unit,
      unit_price: line.unitPrice,
      vat_rate: Number(line.vatRate),
      net: line.net,
      vat: line.vat,
    })),
    total_net: row.totalNet,
    total_vat: row.totalVat,
    rounding: row.rounding,
    total: row.total,
    ocr: row.ocr,
    ...(portalUrl === undefined ? {} : { portal_url: portalUrl }),
    amount_paid: row.amountPaid,
    amount_due: settled ? 0 : Math.max(row.total - row.amountPaid, 0),
    status,
    payment_reported_until: paymentReportedUntil,
    reminders_paused: !settled && (pause !== null || paymentReportedUntil !== null),
    reminder_pause: pause,
    confirmed_at: row.confirmedAt?.toISOString() ?? null,
    confirmed_by: row.confirmedBy,
    confirmed_reference: row.confirmedReference,
    confirmed_cost_centre: row.confirmedCostCentre,
    disputed: row.disputed,
    delivery_status: row.deliveryStatus,
    cancelled_at: row.cancelledAt?.toISOString() ?? null,
    credits_invoice_id: row.creditsInvoiceId,
    created_at: row.createdAt.toISOString(),
  };
}

export type EventJson = {
  id: string;
  type: string;
  actor: EventRow["actor"];
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown>;
  created_at: string;
};

/** One audit log entry of an invoice, as the supplier sees it (who, what, when, from where). */
export function eventJson(row: EventRow): EventJson {
  return {
    id: row.id,
    type: row.type,
    actor: row.actor,
    actor_id: row.actorId,
    ip: row.ip,
    user_agent: row.userAgent,
    data: row.data,
    created_at: row.createdAt.toISOString(),
  };
}
