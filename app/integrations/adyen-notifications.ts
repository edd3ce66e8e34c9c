// Adyen standard webhooks: the body's shape, the checks that prove it came from the supplier's
// Adyen account (basic auth and each item's HMAC, security P1), and what each item means for
// our ledger. No I/O here: app/integrations/adyen-webhook.server.ts applies the result.
import { sameSecret } from "~/domain/same-secret";
// The library is CommonJS: Node's ESM loader (the production build) sees only its default export.
import adyen, { type Types } from "@adyen/api-library";
import { z } from "zod";
import { methodFromAdyen, type CheckoutMethod } from "~/domain/payment-methods";
import type { ChargebackStatus } from "~/domain/payment-state";
import { isPublicId } from "~/domain/public-id";
import { fromAdyenValue } from "./adyen-money";

const { hmacValidator } = adyen;

const itemSchema = z
  .object({
    pspReference: z.string().min(1).max(64),
    originalReference: z.string().max(64).optional(),
    merchantAccountCode: z.string().max(128),
    merchantReference: z.string().max(256),
    eventCode: z.string().min(1).max(64),
    eventDate: z.string().max(64).optional(),
    success: z.enum(["true", "false"]),
    amount: z.object({ value: z.number().int(), currency: z.string().regex(/^[A-Z]{3}$/) }),
    paymentMethod: z.string().max(64).optional(),
    reason: z.string().max(1000).optional(),
    additionalData: z.record(z.string(), z.string().optional()).optional(),
  })
  // Unknown fields stay: they are Adyen's, and the HMAC covers only the documented ones.
  .passthrough();

export const notificationSchema = z.object({
  live: z.union([z.string(), z.boolean()]),
  notificationItems: z.array(z.object({ NotificationRequestItem: itemSchema })).min(1).max(100),
});

export type NotificationItem = z.infer<typeof itemSchema>;
export type Notification = z.infer<typeof notificationSchema>;

/** The JSON body, or undefined when it is not an Adyen notification. */
export function parseNotification(body: string): Notification | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = notificationSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The `Authorization: Basic …` header Adyen is configured to send. */
export function basicAuthMatches(header: string | null, expected: { username: string; password: string }): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  const username = colon >= 0 ? decoded.slice(0, colon) : "";
  const password = colon >= 0 ? decoded.slice(colon + 1) : "";
  // Both compared every time: no early exit tells which half was wrong.
  const usernameOk = sameSecret(username, expected.username);
  const passwordOk = sameSecret(password, expected.password);
  return match !== null && colon >= 0 && usernameOk && passwordOk;
}

const validator = new hmacValidator();

/** The item's `additionalData.hmacSignature` over Adyen's signed fields, with the account's hex key. */
export function itemSignatureValid(item: NotificationItem, hmacKey: string): boolean {
  try {
    return validator.validateHMAC(item as unknown as Types.notification.NotificationRequestItem, hmacKey);
  } catch {
    return false; // no signature at all
  }
}

export type AdyenRefund = {
  paymentId: string | null;
  providerReference: string;
  currency: string;
  /** This refund's own amount (Adyen does not send the running total). */
  amount: number;
  occurredAt: Date;
};

/** A ledger change in PaymentUpdate's terms, without the supplier and account the route adds. */
export type AdyenPaymentFacts = {
  paymentId: string | null;
  providerReference: string | null;
  currency: string;
  amount: number;
  status?: "succeeded" | "failed" | "cancelled";
  method?: CheckoutMethod;
  chargeback?: ChargebackStatus;
  failureReason?: string | null;
  occurredAt: Date;
};

export type ItemEffect = { eventId: string; type: string } & (
  | { kind: "update"; facts: AdyenPaymentFacts }
  | { kind: "refund"; refund: AdyenRefund }
  | { kind: "ignore"; reason: string }
);

/**
 * Adyen redelivers an item until it is accepted, and documents eventCode + pspReference as what
 * identifies one; `success` is added because an AUTHORISATION may come first with false, then
 * with true for the same pspReference. A refund or dispute event has its own pspReference.
 */
export function eventIdOf(item: NotificationItem): string {
  return `${item.eventCode}:${item.pspReference}:${item.success}`;
}

const CANCELLING = new Set(["CANCELLATION", "OFFER_CLOSED", "EXPIRE"]);
const REFUNDING = new Set(["REFUND", "CANCEL_OR_REFUND"]);
/**
 * Dispute stages (docs.adyen.com/risk-management/disputes-api/dispute-notifications): a notice
 * opens it, CHARGEBACK debits the money, CHARGEBACK_REVERSED returns it after a defence, a second
 * chargeback or lost pre-arbitration takes it again.
 */
const DISPUTE: Record<string, ChargebackStatus> = {
  NOTIFICATION_OF_CHARGEBACK: "open",
  CHARGEBACK: "lost",
  CHARGEBACK_REVERSED: "won",
  SECOND_CHARGEBACK: "lost",
  PREARBITRATION_LOST: "lost",
  PREARBITRATION_WON: "won",
};

/** What one verified item does to the ledger. */
export function itemEffect(item: NotificationItem, now = new Date()): ItemEffect {
  const base = { eventId: eventIdOf(item), type: item.eventCode };
  const ignore = (reason: string): ItemEffect => ({ ...base, kind: "ignore", reason });
  const amount = fromAdyenValue(item.amount.value, item.amount.currency);
  if (amount === undefined) return ignore(`amount ${item.amount.value} ${item.amount.currency} is not one we can record`);
  const eventDate = item.eventDate ? new Date(item.eventDate) : now;
  const occurredAt = Number.isNaN(eventDate.getTime()) ? now : eventDate;
  // We send our pay_… id as the merchant reference; Adyen repeats it on every later event.
  const paymentId = isPublicId("pay", item.merchantReference) ? item.merchantReference : null;
  // Modifications and disputes name the payment in originalReference, their own id in pspReference.
  const paymentReference = item.originalReference || item.pspReference;
  const currency = item.amount.currency;
  const success = item.success === "true";
  const facts = { paymentId, currency, occurredAt, amount: 0 };

  if (item.eventCode === "AUTHORISATION") {
    const method = methodFromAdyen(item.paymentMethod);
    // A declined attempt keeps the payment's reference free for the attempt that succeeds.
    return success
      ? { ...base, kind: "update", facts: { ...facts, amount, providerReference: item.pspReference, status: "succeeded", method } }
      : { ...base, kind: "update", facts: { ...facts, providerReference: null, status: "failed", method, failureReason: item.reason || "refused" } };
  }
  if (!success) return ignore(`${item.eventCode} did not succeed`);
  if (CANCELLING.has(item.eventCode)) {
    return { ...base, kind: "update", facts: { ...facts, providerReference: paymentReference, status: "cancelled" } };
  }
  if (REFUNDING.has(item.eventCode)) {
    return { ...base, kind: "refund", refund: { paymentId, providerReference: paymentReference, currency, amount, occurredAt } };
  }
  const chargeback = DISPUTE[item.eventCode];
  if (chargeback) {
    return { ...base, kind: "update", facts: { ...facts, providerReference: paymentReference, chargeback } };
  }
  return ignore(`${item.eventCode} does not change the ledger`);
}
