// The payment ledger's one way in: every fact about a payment (a provider event, a payment the
// supplier records by hand) goes through applyPaymentUpdate, which merges it monotonically
// (app/domain/payment-state.ts), recomputes the invoice's balance and, for each change it made,
// appends the event, queues the receipt and publishes the supplier's webhook — all in the
// caller's transaction (security J1, P2, P3). openManualPaymentBatch is its batch form for many new
// payments at once (a bank file): the same rules, announced by the same code, written set-based.
import type { Db, Tx } from "../../../db/client";
import { paymentJson } from "~/features/payments/api.json.server";
import { mergePaymentFacts, type ChargebackStatus, type PaymentStatus } from "~/domain/payment-state";
import { DEFAULT_CHECKOUT_METHOD, type CheckoutMethod } from "~/domain/payment-methods";
import { newPublicId } from "~/domain/public-id";
import { apiStatus, todayIn } from "~/domain/invoice-status";
import { appendEvents, type NewEvent } from "~/platform/audit/db/events.server";
import { listBillingContactsByCustomer } from "~/features/customers/db/contacts.server";
import { lockInvoiceForPayer, lockInvoicesForLedger, type LockedInvoice } from "~/features/portal/db/payer-invoices.server";
import {
  claimProviderEvent, findProviderPayment, insertPayment, insertPayments, recordProviderEventOutcome, refreshInvoiceBalance,
  refreshInvoiceBalances, updatePayment, type PaymentRow,
} from "~/features/payments/db/payments.server";
import { emailRecipients, queueEmails } from "~/features/emails/email.server";
import { publishWebhookEvents } from "~/features/webhooks/webhooks.server";

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
  await announce(tx, update.supplierId, [announcementOf({ invoice, before: found ? before : null, payment, paidBefore, balance, now })]);
  return { outcome: "applied", payment };
}

/** A payment received outside any provider (a bank file's credit), recorded as it arrived: succeeded. */
export type NewManualPayment = {
  invoiceId: string;
  /** The supplier's (bank's) reference for it: unique among the supplier's manual payments. */
  providerReference: string;
  method: PaymentMethod;
  currency: string;
  /** Minor units, above 0. */
  amount: number;
  occurredAt: Date;
  note: string | null;
};

export type ManualPaymentBatch = {
  /** The invoice's balance as the ledger holds it now, with what this batch recorded so far. */
  balanceOf: (invoiceId: string) => { amountPaid: number; total: number };
  /** Records one payment (in memory until commit) and answers it with the invoice's balance after it. */
  record: (payment: NewManualPayment) => { payment: PaymentRow; balance: { amountPaid: number; total: number } };
  /** Writes every recorded payment, the invoices' balances, events, webhooks and receipts. */
  commit: () => Promise<void>;
};

/**
 * The ledger's batch way in, for many new payments at once (a bank file's batch): what
 * applyPaymentUpdate does for a new succeeded payment, payment by payment in the order recorded
 * (the same rows, balances, events, webhooks and receipts), written set-based at commit: the
 * invoices locked in one statement, the payments in multi-row inserts, the balances in one
 * update. The caller has checked that no reference was recorded before (the unique index
 * refuses it anyway, rolling the batch back).
 */
export async function openManualPaymentBatch(
  tx: Tx,
  params: { supplierId: string; invoiceIds: readonly string[]; now: Date },
): Promise<ManualPaymentBatch> {
  const { supplierId, now } = params;
  const locked = new Map((await lockInvoicesForLedger(tx, supplierId, params.invoiceIds)).map((row) => [row.invoice.id, row]));
  const paid = new Map([...locked.values()].map((row) => [row.invoice.id, row.invoice.amountPaid]));
  const rows: PaymentRow[] = [];
  const announcements: Announcement[] = [];
  const lockedInvoice = (invoiceId: string) => {
    const invoice = locked.get(invoiceId);
    if (!invoice) throw new Error(`invoice ${invoiceId} is not one of this batch's (locked) invoices of ${supplierId}`);
    return invoice;
  };
  const balanceOf = (invoiceId: string) => ({ amountPaid: paid.get(invoiceId)!, total: lockedInvoice(invoiceId).invoice.total });

  return {
    balanceOf,
    record: (input) => {
      const invoice = lockedInvoice(input.invoiceId);
      if (input.currency.toUpperCase() !== invoice.invoice.currency) throw new Error(`currency ${input.currency} differs from invoice ${input.invoiceId}'s`);
      if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new RangeError(`a received payment's amount must be above 0, got ${input.amount}`);
      const payment: PaymentRow = {
        id: newPublicId("pay"),
        supplierId,
        invoiceId: input.invoiceId,
        accountId: null,
        provider: "manual",
        providerReference: input.providerReference,
        method: input.method,
        currency: invoice.invoice.currency,
        amount: input.amount,
        amountRefunded: 0,
        status: "succeeded",
        chargeback: null,
        failureReason: null,
        idempotencyKey: `payment:manual:${input.providerReference}`,
        checkoutUrl: null,
        checkoutExpiresAt: null,
        receivedAt: input.occurredAt,
        note: input.note,
        createdAt: now,
        updatedAt: now,
      };
      const paidBefore = balanceOf(input.invoiceId);
      paid.set(input.invoiceId, paidBefore.amountPaid + payment.amount);
      const balance = balanceOf(input.invoiceId);
      rows.push(payment);
      announcements.push(announcementOf({ invoice, before: null, payment, paidBefore, balance, now }));
      return { payment, balance };
    },
    commit: async () => {
      if (rows.length === 0) return;
      await insertPayments(tx, rows);
      await refreshInvoiceBalances(tx, [...new Set(rows.map((row) => row.invoiceId))], now);
      await announce(tx, supplierId, announcements);
    },
  };
}

type Changes = {
  invoice: Pick<LockedInvoice, "invoice" | "customer" | "supplier">;
  before: PaymentRow | null;
  payment: PaymentRow;
  paidBefore: { amountPaid: number; total: number };
  balance: { amountPaid: number; total: number };
  now: Date;
};

/** What one change of the ledger tells: audit events, each also a supplier webhook with `webhook`, and a receipt when money arrived. */
type Announcement = {
  events: NewEvent[];
  /** The payment and the invoice as it now stands: every event's webhook payload. */
  webhook: Record<string, unknown>;
  receipt: { invoice: Changes["invoice"]; payment: PaymentRow; amountDue: number } | null;
};

/** One audit event and one supplier webhook per fact that changed; the receipt when money arrived. */
function announcementOf(changes: Changes): Announcement {
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
  const amountDue = Math.max(row.total - balance.amountPaid, 0);
  const events: NewEvent[] = [];
  const announce = (type: string, data: Record<string, unknown> = {}) => {
    events.push({
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
  };

  let receipt: Announcement["receipt"] = null;
  if (payment.status !== before?.status) {
    if (payment.status === "succeeded") {
      announce("payment.succeeded");
      receipt = { invoice, payment, amountDue };
    } else if (payment.status === "failed") {
      announce("payment.failed", { failure_reason: payment.failureReason });
    } else if (payment.status === "cancelled") {
      announce("payment.cancelled");
    }
  }
  if (payment.amountRefunded > (before?.amountRefunded ?? 0)) {
    announce("payment.refunded", { amount_refunded: payment.amountRefunded });
  }
  if (payment.chargeback !== (before?.chargeback ?? null)) {
    announce("payment.chargeback", { chargeback: payment.chargeback });
  }
  const wasPaid = paidBefore.amountPaid >= paidBefore.total;
  const isPaid = balance.amountPaid >= balance.total;
  if (isPaid && !wasPaid) announce("invoice.paid", { amount_paid: balance.amountPaid });
  if (balance.amountPaid > balance.total && paidBefore.amountPaid <= paidBefore.total) {
    announce("invoice.overpaid", { amount_paid: balance.amountPaid, excess: balance.amountPaid - balance.total });
  }
  const invoiceJson = {
    id: row.id,
    number: row.number,
    customer_id: customer.id,
    currency: row.currency,
    total: row.total,
    amount_paid: balance.amountPaid,
    amount_due: amountDue,
    status: apiStatus(facts),
  };
  return { events, webhook: { payment: paymentJson(payment), invoice: invoiceJson }, receipt };
}

/**
 * Writes what changes announce, in the caller's transaction: the events, their webhooks and the
 * receipts, in a few statements however many changes (one payment, or a bank file's batch).
 */
async function announce(tx: Tx, supplierId: string, announcements: readonly Announcement[]): Promise<void> {
  await appendEvents(tx, announcements.flatMap((announcement) => announcement.events));
  await publishWebhookEvents(
    tx,
    supplierId,
    announcements.flatMap(({ events, webhook }) => events.map((event) => ({ type: event.type, payload: webhook }))),
  );
  await queueReceipts(tx, supplierId, announcements.flatMap((announcement) => (announcement.receipt ? [announcement.receipt] : [])));
}

/** A receipt to each billing contact with an address, in the contact's (or customer's) language. */
async function queueReceipts(tx: Tx, supplierId: string, receipts: readonly NonNullable<Announcement["receipt"]>[]): Promise<void> {
  if (receipts.length === 0) return;
  const contactsOf = await listBillingContactsByCustomer(tx, supplierId, receipts.map((receipt) => receipt.invoice.customer.id));
  await queueEmails(
    tx,
    receipts.flatMap(({ invoice: { invoice: row, customer, supplier }, payment, amountDue }) =>
      emailRecipients(contactsOf.get(customer.id) ?? [], customer, supplier, { anyChannel: true }).map((recipient) => ({
        supplierId: row.supplierId,
        invoiceId: row.id,
        customerId: customer.id,
        template: "payment-receipt" as const,
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
      })),
    ),
  );
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
