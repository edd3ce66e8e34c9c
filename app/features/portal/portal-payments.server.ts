// What the payer's page says about paying: which ways to pay it offers and in what order, the
// receipts, a checkout still being processed, a card attempt that failed, an "I have paid".
// Derived from the portal's one query (no query of its own).
import { todayIn } from "~/domain/invoice-status";
import { isCheckoutMethod, pageOptions, type CheckoutMethod, type PayOption } from "~/domain/payment-methods";
import type { PortalPaymentReportRow, PortalPaymentRow } from "~/features/portal/db/portal.server";
import type { PaymentInstructions } from "~/features/payments/payment-instructions.server";

export type PortalReceipt = {
  id: string;
  /** YYYY-MM-DD in the supplier's time zone, and the instant. */
  date: string;
  at: string;
  amount: number;
  amountRefunded: number;
  method: PortalPaymentRow["method"];
  reference: string;
  /** A chargeback the supplier lost: the money went back to the payer. */
  reversed: boolean;
  /** The receipt's number: the payment's own id, the one the supplier finds it by (API, console). */
  number: string;
  /** The addresses the receipt email went to, if any. */
  emailedTo: string[];
};

export type PortalPayments = {
  /** In the order the page shows them: Swish first on a phone, card and bank first at a desk. */
  options: PayOption[];
  /** Show the bank apps' QR codes (Swedish invoice QR, EPC) beside the bank details. */
  bankQr: boolean;
  receipts: PortalReceipt[];
  /** The payer came back from a card/Swish checkout that the provider has not confirmed yet. */
  processing: boolean;
  /** The latest card/Swish attempt did not go through, and nothing was paid by card since. */
  failedAttempt: { method: CheckoutMethod; status: "failed" | "cancelled"; reason: string | null } | null;
  /** "I have paid" while reminders wait for the money. */
  reported: {
    until: string;
    /** The day reminders resume, in the supplier's time zone. */
    untilDate: string;
    paidOn: string;
    amount: number;
    method: PortalPaymentReportRow["method"];
  } | null;
  /** The supplier's today (YYYY-MM-DD): the latest date a payment can be reported for. */
  today: string;
};

export type PortalPaymentsSource = {
  amountDue: number;
  currency: string;
  cancelled: boolean;
  settled: boolean;
  paymentOptions: readonly string[];
  accountMethods: readonly string[];
  hasBankDetails: boolean;
  swish: PaymentInstructions["swish"];
  payments: readonly PortalPaymentRow[];
  latestReport: PortalPaymentReportRow | null;
  reportedUntil: Date | null;
  timeZone: string;
  phone: boolean;
  /** Our pay_… id from `?checkout=`, where the hosted payment page sent the payer back. */
  checkoutId: string | null;
  /** `&cancelled=1`: the payer left the hosted page with its "back"/"cancel" link. */
  checkoutCancelled: boolean;
  now: Date;
};

/** The options the supplier switched on and can take, in the order that suits the device. */
export function payOptions(source: PortalPaymentsSource): PayOption[] {
  if (source.cancelled || source.amountDue <= 0) return [];
  return pageOptions({
    switchedOn: source.paymentOptions,
    currency: source.currency,
    accountMethods: source.accountMethods,
    qrCodes: source.swish ? ["swish"] : [],
    hasBankDetails: source.hasBankDetails,
    phone: source.phone,
  });
}

export function portalPayments(source: PortalPaymentsSource): PortalPayments {
  const dated = (iso: string) => ({ at: new Date(iso).toISOString(), date: todayIn(source.timeZone, new Date(iso)) });
  const receipts: PortalReceipt[] = source.payments
    .filter((payment) => payment.status === "succeeded")
    .map((payment) => ({
      id: payment.id,
      ...dated(payment.receivedAt ?? payment.createdAt),
      amount: payment.amount,
      amountRefunded: payment.amountRefunded,
      method: payment.method,
      reference: payment.providerReference ?? payment.id,
      reversed: payment.chargeback === "lost",
      number: payment.id,
      emailedTo: payment.receiptEmailedTo ?? [],
    }));

  const open = !source.cancelled && !source.settled;
  const returnedTo = source.checkoutId ? source.payments.find((payment) => payment.id === source.checkoutId) : undefined;
  const leftPending = open && returnedTo?.status === "pending";
  // Back from the hosted page: processing until the provider's event says how it went; never "paid".
  const processing = leftPending && !source.checkoutCancelled;

  // Only the latest card/Swish attempt is told about: a newer checkout (even one still open)
  // makes an older decline history, whichever address the payer comes back to (Back, a bookmark).
  const latest = source.payments.filter((payment) => payment.provider !== "manual").at(-1);
  let failedAttempt: PortalPayments["failedAttempt"] = null;
  if (open && !processing && latest && isCheckoutMethod(latest.method)) {
    if (latest.status === "pending" && source.checkoutCancelled && returnedTo?.id === latest.id) {
      failedAttempt = { method: latest.method, status: "cancelled", reason: null };
    } else if (latest.status === "failed" || latest.status === "cancelled") {
      failedAttempt = { method: latest.method, status: latest.status, reason: latest.failureReason };
    }
  }

  const reported =
    open && source.latestReport && source.reportedUntil && source.reportedUntil > source.now
      ? {
          until: source.reportedUntil.toISOString(),
          untilDate: todayIn(source.timeZone, source.reportedUntil),
          paidOn: source.latestReport.paidOn,
          amount: source.latestReport.amount,
          method: source.latestReport.method,
        }
      : null;

  return {
    options: payOptions(source),
    bankQr: new Set(source.paymentOptions).has("bank_qr"),
    receipts,
    processing,
    failedAttempt,
    reported,
    today: todayIn(source.timeZone, source.now),
  };
}
