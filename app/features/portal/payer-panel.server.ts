// What the portal page shows beside the invoice for the payer to act on: confirmation, problems
// and their answers, deliveries, billing contacts, the timeline, and a fresh one-time submission
// id per form. Read-only (security L3): ids are random, nothing is stored until a form is posted.
import { randomBytes } from "node:crypto";
import { invoiceContentHash } from "~/domain/invoice-content-hash";
import { todayIn } from "~/domain/invoice-status";
import type { PayerViewRow } from "~/features/portal/db/payer-invoices.server";
import type { PortalPage } from "~/features/portal/portal.server";
import { isPayerIntent, type PayerIntent } from "~/features/portal/payer-actions.server";
import { DELIVERY_PROBLEM_REASONS, INVOICE_PROBLEM_REASONS } from "~/features/invoices/disputes.server";

export type DatedInstant = { at: string; date: string };

export type PanelDispute = DatedInstant & {
  id: string;
  kind: "invoice" | "delivery";
  deliveryDescription: string | null;
  reason: string;
  message: string | null;
  /** The lines concerned as people number them (1 is the first line). */
  lineNumbers: number[];
  attachmentName: string | null;
  status: "open" | "accepted" | "rejected";
  answer: (DatedInstant & { message: string | null; creditNoteReference: string | null; correctedInvoiceNumber: string | null }) | null;
};

export type PanelDelivery = {
  id: string;
  description: string;
  deliveredOn: string | null;
  location: string | null;
  /** Stored positions of the lines it covers (empty: the whole invoice); they match the page's lines. */
  linePositions: number[];
  status: "pending" | "approved" | "problem";
  decided: DatedInstant | null;
  canApprove: boolean;
  canReport: boolean;
};

export type PanelContact = PayerViewRow["contacts"][number];

export type TimelineKind =
  | "created" | "viewed" | "confirmed" | "disputed" | "deliveryAdded" | "deliveryApproved" | "deliveryDisputed"
  | "answered" | "contactUpdated" | "contactAdded" | "invoiceSent" | "reminderSent" | "paymentReceived" | "paymentRefunded"
  | "paymentFailed" | "paymentReported" | "invoicePaid";

export type TimelineItem = DatedInstant & {
  kind: TimelineKind;
  name?: string;
  reason?: string;
  status?: string;
  description?: string;
  amount?: number;
  currency?: string;
  method?: string;
  /** Refunded so far on that payment (payment.refunded). */
  amountRefunded?: number;
  /** The reminder step (reminder.sent). */
  step?: string;
};

export type PayerPanel = {
  /** The action just done (after the redirect), to say so once at the top. */
  notice: PayerIntent | null;
  can: { confirm: boolean; report: boolean; decideDeliveries: boolean };
  contentHash: string;
  confirmation: (DatedInstant & { by: string | null; reference: string | null; costCentre: string | null }) | null;
  disputes: PanelDispute[];
  deliveries: PanelDelivery[];
  contacts: PanelContact[];
  timeline: TimelineItem[];
  /** One per form, keyed like the forms (e.g. `approve-delivery:dlv_…`). */
  submissionIds: Record<string, string>;
  /** The reason codes each report form offers. */
  reasons: { invoice: readonly string[]; delivery: readonly string[] };
};

const KINDS: Record<string, TimelineKind> = {
  "invoice.created": "created",
  "invoice.viewed": "viewed",
  "invoice.confirmed": "confirmed",
  "invoice.disputed": "disputed",
  "delivery.added": "deliveryAdded",
  "delivery.approved": "deliveryApproved",
  "delivery.disputed": "deliveryDisputed",
  "dispute.resolved": "answered",
  "contact.updated": "contactUpdated",
  "contact.added": "contactAdded",
  "invoice.sent": "invoiceSent",
  "reminder.sent": "reminderSent",
  "payment.succeeded": "paymentReceived",
  "payment.refunded": "paymentRefunded",
  "payment.failed": "paymentFailed",
  "payment.reported": "paymentReported",
  "invoice.paid": "invoicePaid",
};

/** One random 128-bit id per form, drawn in one call (a call per form showed in profiles). */
export function oneTimeIds(forms: string[]): Record<string, string> {
  const bytes = randomBytes(16 * forms.length);
  return Object.fromEntries(forms.map((form, i) => [form, bytes.subarray(i * 16, i * 16 + 16).toString("base64url")]));
}
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

export function payerPanel(view: PayerViewRow, page: PortalPage, request: Request): PayerPanel {
  const dated = (iso: string): DatedInstant => {
    const at = new Date(iso);
    return { at: at.toISOString(), date: todayIn(view.timeZone, at) };
  };
  const kind = page.status.kind;
  const cancelled = kind === "cancelled";
  const settled = kind === "paid" || kind === "overpaid";
  const openFor = (deliveryId: string) => view.disputes.some((d) => d.deliveryId === deliveryId && d.status === "open");
  const openInvoiceProblem = view.disputes.some((d) => d.kind === "invoice" && d.status === "open");
  const deliveryName = new Map(view.deliveries.map((delivery) => [delivery.id, delivery.description]));
  const numbers = new Map(page.lines.map((line, index) => [line.position, index + 1]));
  const lineNumber = (position: number) => numbers.get(position) ?? position;

  const deliveries: PanelDelivery[] = view.deliveries.map((delivery) => ({
    id: delivery.id,
    description: delivery.description,
    deliveredOn: delivery.deliveredOn,
    location: delivery.location,
    linePositions: delivery.linePositions ?? [],
    status: delivery.status,
    decided: delivery.decidedAt ? dated(delivery.decidedAt) : null,
    canApprove: !cancelled && delivery.status !== "approved" && !openFor(delivery.id),
    canReport: !cancelled && !openFor(delivery.id),
  }));

  const submissionIds = oneTimeIds([
    "confirm",
    "report-problem",
    "add-contact",
    // Both "pay" buttons (card, Swish through the provider) share one: only one is ever sent.
    "pay-card",
    "report-payment",
    ...view.deliveries.flatMap((delivery) => [`approve-delivery:${delivery.id}`, `report-delivery-problem:${delivery.id}`]),
    ...view.contacts.map((contact) => `update-contact:${contact.id}`),
  ]);

  const done = new URL(request.url).searchParams.get("done");
  return {
    notice: isPayerIntent(done) ? done : null,
    can: {
      confirm: !cancelled && !settled && view.confirmedAt === null && !openInvoiceProblem,
      report: !cancelled,
      decideDeliveries: !cancelled,
    },
    contentHash: invoiceContentHash({ ...page.invoice, lines: page.lines }),
    confirmation: view.confirmedAt
      ? { ...dated(view.confirmedAt.toISOString()), by: view.confirmedBy, reference: view.confirmedReference, costCentre: view.confirmedCostCentre }
      : null,
    disputes: view.disputes.map((dispute) => ({
      ...dated(dispute.createdAt),
      id: dispute.id,
      kind: dispute.kind,
      deliveryDescription: dispute.deliveryId ? (deliveryName.get(dispute.deliveryId) ?? null) : null,
      reason: dispute.reason,
      message: dispute.message,
      lineNumbers: (dispute.linePositions ?? []).map(lineNumber),
      attachmentName: dispute.attachmentName,
      status: dispute.status,
      answer:
        dispute.status !== "open" && dispute.resolvedAt
          ? {
              ...dated(dispute.resolvedAt),
              message: text(dispute.resolution?.message) ?? null,
              creditNoteReference: text(dispute.resolution?.credit_note_reference) ?? null,
              correctedInvoiceNumber: text(dispute.resolution?.corrected_invoice_number) ?? null,
            }
          : null,
    })),
    deliveries,
    contacts: view.contacts,
    timeline: view.events.flatMap((event): TimelineItem[] => {
      const kind = KINDS[event.type];
      if (!kind) return [];
      const data = event.data ?? {};
      return [
        {
          ...dated(event.createdAt),
          kind,
          name: text(data.confirmed_by),
          reason: text(data.reason),
          status: text(data.status),
          description: text(data.description),
          amount: typeof data.amount === "number" ? data.amount : undefined,
          currency: text(data.currency),
          method: text(data.method),
          amountRefunded: typeof data.amount_refunded === "number" ? data.amount_refunded : undefined,
          step: text(data.step),
        },
      ];
    }),
    submissionIds,
    reasons: { invoice: INVOICE_PROBLEM_REASONS, delivery: DELIVERY_PROBLEM_REASONS },
  };
}
