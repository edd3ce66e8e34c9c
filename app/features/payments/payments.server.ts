// The payment ledger's one way in: every fact about a payment (a provider event, a payment the
// supplier records by hand) goes through applyPaymentUpdate, which merges it monotonically
// (app/domain/payment-state.ts), recomputes the invoice's balance and, for each change it made,
// appends the event, queues the receipt and publishes the supplier's webhook — all in the
// caller's transaction (security J1, P2, P3).
import type { Db, Tx } from "../../../db/client";
import { paymentJson } from "~/features/payments/api.json.server";
import { mergePaymentFacts, type ChargebackStatus, type PaymentStatus } from "~/domain/payment-state";
import { DEFAULT_CHECKOUT_METHOD, type CheckoutMethod } from "~/domain/payment-methods";
import { newPublicId } from "~/domain/public-id";
import { apiStatus, todayIn } from "~/domain/invoice-status";
import { appendEvent } from "~/platform/audit/db/events.server";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { lockInvoiceForPayer, type LockedInvoice } from "~/features/portal/db/payer-invoices.server";
import {
  claimProviderEvent, findProviderPayment, insertPayment, recordProviderEventOutcome, refreshInvoiceBalance,
  updatePayment, type PaymentRow,
} from "~/features/payments/db/payments.server";
import { emailRecipients, queueEmail } from "~/features/emails/email.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

export type PaymentMethod = PaymentRow["method"];

export type PaymentUpdate = {
  supplierId: string;
  provider: PaymentRow["provider"];
  accountId?: string | null;
  /** Our payment id, when the provider object carries it (metadata, merchant reference). */
  paymentId?: string | null;
  /** The provider's id for the payment (Stripe PaymentIntent, Adyen pspReference). */
  providerReference?: string | null;
  /** Needed to record a payment we have no row for yet (one not started from our page). */
  invoiceId?: string | null;
  method?: PaymentMethod;
  currency: string;
  /** Minor units; the payment's full amount (refunds are amountRefunded). */
  amount: number;
  status?: PaymentStatus;
  /** Cumulative, as the provider reports it (Stripe). */
  amountRefunded?: number;
  /** One refund's own amount, as Adyen reports it: added to the total under the payment's lock. */
  refundedNow?: number;
  chargeback?: ChargebackStatus;
  failureReason?: string | null;
  /** When the provider says it happened. */
  occurredAt: Date;
  note?: string | null;
};

export type ApplyOutcome =
  /** Something changed (status, refund, chargeback, reference). */
  | { outcome: "applied"; payment: PaymentRow }
  /** Known payment, nothing new (an older event arriving late). */
  | { outcome: "unchanged"; payment: PaymentRow }
  /** Not a payment of ours: no such payment and no invoice to record it on. */
  | { outcome: "not_ours" }
  /** The event contradicts the payment (other currency or invoice): recorded nowhere, logged. */
  | { outcome: "mismatch"; detail: string };

const SYSTEM = { actor: "system" as const, actorId: null };

/** Creates the pending row of a checkout before the provider is called; its key goes with every call (P4). */
export async function createPendingPayment(
  tx: Tx,
  input: { supplierId: string; invoiceId: string; accountId: string; provider: "stripe" | "adyen"; method: CheckoutMethod; currency: string; amount: number },
): Promise<PaymentRow> {
  const id = newPublicId("pay");
  return insertPayment(tx, { ...input, id, status: "pending", idempotencyKey: `checkout:${id}` });
}

export async function applyPaymentUpdate(tx: Tx, update: PaymentUpdate, now = new Date()): Promise<ApplyOutcome> {
  const scope = { supplierId: update.supplierId, provider: update.provider, accountId: update.accountId };
  // Read first (unlocked) to learn the invoice, lock the invoice (all balance changes of one
  // invoice queue there), then lock the payment: the same order everywhere, so no deadlock.
  let found = await findProviderPayment(tx, { ...scope, paymentId: update.paymentId, providerReference: update.providerReference }, { lock: false });
  if (!found && update.paymentId && update.providerReference) {
    found = await findProviderPayment(tx, { ...scope, providerReference: update.providerReference }, { lock: false });
  }
  const invoiceId = found?.invoiceId ?? update.invoiceId;
  if (!invoiceId) return { outcome: "not_ours" };
  const invoice = await lockInvoiceForPayer(tx, { supplierId: update.supplierId, invoiceId });
  if (!invoice) return found ? { outcome: "mismatch", detail: `invoice ${invoiceId} not found` } : { outcome: "not_ours" };
  if (update.currency.toUpperCase() !== invoice.invoice.currency) {
    return { outcome: "mismatch", detail: `currency ${update.currency} differs from the invoice's ${invoice.invoice.currency}` };
  }
  if (found && update.invoiceId && update.invoiceId !== found.invoiceId) {
    return { outcome: "mismatch", detail: `payment ${found.id} belongs to another invoice than ${update.invoiceId}` };
  }

  const before = found
    ? await findProviderPayment(tx, { ...scope, paymentId: found.id }, { lock: true })
    : await insertPayment(tx, {
        id: update.paymentId ?? newPublicId("pay"),
        supplierId: update.supplierId,
        invoiceId,
        accountId: update.accountId ?? null,
        provider: update.provider,
        providerReference: update.providerReference ?? null,
        method: update.method ?? DEFAULT_CHECKOUT_METHOD,
        currency: invoice.invoice.currency,
        amount: update.amount,
        status: "pending",
        idempotencyKey: `payment:${update.provider}:${update.providerReference ?? newPublicId("pay")}`,
        note: update.note ?? null,
        createdAt: now,
        updatedAt: now,
      });
  if (!before) throw new Error("payment row vanished under its lock");

  // A checkout's amount is what we asked for; the provider's final figure wins while pending.
  const amount = before.status === "pending" && update.amount > 0 ? update.amount : before.amount;
  const amountRefunded = update.refundedNow === undefined ? update.amountRefunded : before.amountRefunded + update.refundedNow;
  const merged = mergePaymentFacts({ ...before, amount }, { ...update, amountRefunded });
  const changed =
    merged.status !== before.status ||
    merged.amountRefunded !== before.amountRefunded ||
    merged.chargeback !== before.chargeback ||
    amount !== before.amount ||
    (update.providerReference != null && before.providerReference === null) ||
    (update.method !== undefined && update.method !== before.method && before.status === "pending");
  if (!changed && found) return { outcome: "unchanged", payment: before };

  const payment = await updatePayment(tx, before.id, {
    status: merged.status,
    amount,
    amountRefunded: merged.amountRefunded,
    chargeback: merged.chargeback,
    providerReference: before.providerReference ?? update.providerReference ?? null,
    method: before.status === "pending" && update.method ? update.method : before.method,
    failureReason: merged.status === "failed" ? (update.failureReason ?? before.failureReason) : before.failureReason,
    receivedAt: merged.status === "succeeded" ? (before.receivedAt ?? update.occurredAt) : before.receivedAt,
    checkoutUrl: merged.status === "pending" ? before.checkoutUrl : null,
    updatedAt: now,
  });
  const paidBefore = { amountPaid: invoice.invoice.amountPaid, total: invoice.invoice.total };
  const balance = await refreshInvoiceBalance(tx, invoiceId, now);
  await announceChanges(tx, { invoice, before: found ? before : null, payment, paidBefore, balance, now });
  return { outcome: "applied", payment };
}

type Changes = {
  invoice: LockedInvoice;
  before: PaymentRow | null;
  payment: PaymentRow;
  paidBefore: { amountPaid: number; total: number };
  balance: { amountPaid: number; total: number };
  now: Date;
};

/** One audit event and one supplier webhook per fact that changed; the receipt when money arrived. */
async function announceChanges(tx: Tx, changes: Changes): Promise<void> {
  const { invoice, before, payment, balance, paidBefore, now } = changes;
  const { invoice: row, customer, supplier } = invoice;
  const facts = {
    dueDate: row.dueDate,
    today: todayIn(supplier.timeZone, now),
    total: row.total,
    amountPaid: balance.amountPaid,
    cancelledAt: row.cancelledAt,
    disputed: row.disputed,
  };
  const invoiceJson = {
    id: row.id,
    number: row.number,
    customer_id: customer.id,
    currency: row.currency,
    total: row.total,
    amount_paid: balance.amountPaid,
    amount_due: Math.max(row.total - balance.amountPaid, 0),
    status: apiStatus(facts),
  };
  const announce = async (type: string, data: Record<string, unknown> = {}) => {
    await appendEvent(tx, {
      supplierId: row.supplierId,
      invoiceId: row.id,
      customerId: customer.id,
      type,
      ...SYSTEM,
      data: {
        payment_id: payment.id,
        provider: payment.provider,
        provider_reference: payment.providerReference,
        amount: payment.amount,
        currency: payment.currency,
        method: payment.method,
        ...data,
      },
    });
    await publishWebhookEvent(tx, {
      supplierId: row.supplierId,
      type,
      payload: { payment: paymentJson(payment), invoice: invoiceJson },
    });
  };

  if (payment.status !== before?.status) {
    if (payment.status === "succeeded") {
      await announce("payment.succeeded");
      await queueReceipts(tx, invoice, payment, invoiceJson.amount_due);
    } else if (payment.status === "failed") {
      await announce("payment.failed", { failure_reason: payment.failureReason });
    } else if (payment.status === "cancelled") {
      await announce("payment.cancelled");
    }
  }
  if (payment.amountRefunded > (before?.amountRefunded ?? 0)) {
    await announce("payment.refunded", { amount_refunded: payment.amountRefunded });
  }
  if (payment.chargeback !== (before?.chargeback ?? null)) {
    await announce("payment.chargeback", { chargeback: payment.chargeback });
  }
  const wasPaid = paidBefore.amountPaid >= paidBefore.total;
  const isPaid = balance.amountPaid >= balance.total;
  if (isPaid && !wasPaid) await announce("invoice.paid", { amount_paid: balance.amountPaid });
  if (balance.amountPaid > balance.total && paidBefore.amountPaid <= paidBefore.total) {
    await announce("invoice.overpaid", { amount_paid: balance.amountPaid, excess: balance.amountPaid - balance.total });
  }
}

/** A receipt to each billing contact with an address, in the contact's (or customer's) language. */
async function queueReceipts(tx: Tx, invoice: LockedInvoice, payment: PaymentRow, amountDue: number): Promise<void> {
  const { invoice: row, customer, supplier } = invoice;
  const contacts = await listBillingContacts(tx, row.supplierId, customer.id);
  for (const recipient of emailRecipients(contacts, customer, supplier, { anyChannel: true })) {
    await queueEmail(tx, {
      supplierId: row.supplierId,
      invoiceId: row.id,
      customerId: customer.id,
      template: "payment-receipt",
      locale: recipient.locale,
      to: recipient.address,
      idempotencyKey: `receipt:${payment.id}:${recipient.contactId}`,
      props: {
        invoiceNumber: row.number,
        supplierName: supplier.name,
        amount: payment.amount,
        currency: row.currency,
        method: payment.method,
        paidAt: (payment.receivedAt ?? payment.updatedAt).toISOString(),
        paymentReference: payment.providerReference ?? payment.id,
        amountDue,
      },
    });
  }
}

export type ProviderEvent = { provider: "stripe" | "adyen"; accountId: string; supplierId: string; eventId: string; type: string };

export type ReceiveResult = { outcome: "duplicate" } | ApplyOutcome | { outcome: "ignored" };

/**
 * Applies one verified provider event exactly once: the event id is claimed in the same
 * transaction as its effects, so N deliveries (sequential or concurrent) change the ledger once.
 * `update` is null for event types that do not touch the ledger.
 */
export async function receiveProviderEvent(db: Db, event: ProviderEvent, update: PaymentUpdate | null, now = new Date()): Promise<ReceiveResult> {
  return db.transaction(async (tx) => {
    if (!(await claimProviderEvent(tx, event))) return { outcome: "duplicate" as const };
    const result: ReceiveResult = update ? await applyPaymentUpdate(tx, { ...update, supplierId: event.supplierId, accountId: event.accountId }, now) : { outcome: "ignored" };
    const paymentId = "payment" in result ? result.payment.id : null;
    await recordProviderEventOutcome(tx, event, result.outcome, paymentId);
    return result;
  });
}
