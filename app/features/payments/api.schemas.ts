// Request bodies and queries of the payments API and of suppliers' provider accounts.
import { z } from "zod";
import { FORMATS } from "~/api/openapi/formats";
import { LEDGER_METHODS, providerMethods, RECORDED_METHODS } from "~/domain/payment-methods";
import { limitParam } from "../../api/query-schemas";
import { multiLine, singleLine } from "~/api/text";
import { SINGLE_LINE_TEXT, singleLineMessage } from "~/domain/text";

/** A payment the supplier saw arrive (bank statement, cash) and records by hand. */
export const recordPaymentSchema = z
  .object({
    amount: z
      .number({ invalid_type_error: "amount must be a whole number of minor units (öre, cents)" })
      .int("amount must be a whole number of minor units (öre, cents)")
      .positive("amount must be greater than 0")
      .max(Number.MAX_SAFE_INTEGER, "amount is too large"),
    currency: z.string().regex(/^[A-Z]{3}$/, "currency must be an ISO 4217 code like SEK or EUR").openapi({ example: "SEK" }),
    method: z.enum(RECORDED_METHODS, {
      errorMap: () => ({ message: `method must be one of ${RECORDED_METHODS.join(", ")}` }),
    }),
    received_at: z
      .string()
      .datetime({ offset: true, message: "received_at must be an ISO 8601 time with an offset, e.g. 2026-03-14T10:00:00+01:00" })
      .openapi(FORMATS.dateTime)
      .optional(),
    /** The bank's transaction id: the same reference twice is the same payment (security P8). */
    reference: singleLine(z.string().trim().min(1, "reference must not be empty").max(200, "reference may have at most 200 characters"), "reference").optional(),
    note: multiLine(z.string().trim().max(1000, "note may have at most 1000 characters"), "note").optional(),
  })
  .strict();

export type RecordPaymentInput = z.output<typeof recordPaymentSchema>;

const instant = (name: string) =>
  z.string().datetime({ offset: true, message: `${name} must be an ISO 8601 time with an offset, e.g. 2026-03-01T00:00:00Z` });

export const listPaymentsQuerySchema = z
  .object({
    invoice_id: z.string().optional(),
    status: z.enum(["pending", "succeeded", "failed", "cancelled"]).optional(),
    provider: z.enum(["stripe", "adyen", "manual"]).optional(),
    method: z.enum(LEDGER_METHODS).optional(),
    created_after: instant("created_after").optional(),
    created_before: instant("created_before").optional(),
    limit: limitParam.optional(),
    cursor: z.string().optional(),
  })
  .strict();

export type ListPaymentsQuery = z.output<typeof listPaymentsQuerySchema>;

/** `"card" or "swish"`; three or more as `"a", "b" or "c"`. */
const orList = (items: readonly string[]) => {
  const quoted = items.map((item) => `"${item}"`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : quoted.join("");
};

/** What the provider's account offers at checkout; stored once each, in the table's order (card first). */
function accountMethods<P extends "stripe" | "adyen">(provider: P) {
  const methods = providerMethods(provider);
  return z
    .array(z.enum(methods, { errorMap: () => ({ message: `each method must be ${orList(methods)}` }) }))
    .min(1, `methods must list at least one of ${methods.map((method) => `"${method}"`).join(", ")}`)
    .transform((chosen) => methods.filter((method) => chosen.includes(method)))
    .default([methods[0]]);
}

/**
 * A credential field: one pattern that says what the provider's value looks like, or, for values
 * of no fixed shape, the single-line rule (no control characters). One pattern each, so the
 * OpenAPI document shows the real one.
 */
const secret = (name: string, pattern: RegExp = SINGLE_LINE_TEXT, message = singleLineMessage(name)) =>
  z
    .string({ required_error: `${name} is required` })
    .trim()
    .min(1, `${name} must not be empty`)
    .max(500, `${name} is too long`)
    .regex(pattern, message);

export const stripeAccountSchema = z
  .object({
    secret_key: secret(
      "secret_key",
      /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/,
      "secret_key must be a Stripe secret key (sk_test_…, sk_live_…) or restricted key (rk_…)",
    ),
    webhook_secret: secret(
      "webhook_secret",
      /^whsec_[A-Za-z0-9+/=]{8,}$/,
      "webhook_secret must be the endpoint's signing secret (whsec_…) from the Stripe dashboard",
    ),
    methods: accountMethods("stripe"),
  })
  .strict();

export const adyenAccountSchema = z
  .object({
    api_key: secret("api_key"),
    merchant_account: secret(
      "merchant_account",
      /^[A-Za-z0-9_.-]{1,100}$/,
      "merchant_account must be the merchant account's name (letters, digits, _ . -)",
    ),
    environment: z.enum(["test", "live"], { errorMap: () => ({ message: 'environment must be "test" or "live"' }) }),
    live_url_prefix: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,100}$/, "live_url_prefix must be the prefix of the live endpoints, e.g. 1797a841fbb37ca7-AdyenDemo")
      .nullish(),
    hmac_key: secret("hmac_key", /^[0-9A-Fa-f]{64}$/, "hmac_key must be the webhook's HMAC key: 64 hexadecimal characters"),
    notification_username: secret("notification_username"),
    notification_password: secret("notification_password"),
    methods: accountMethods("adyen"),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.environment === "live" && !value.live_url_prefix) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["live_url_prefix"],
        message: "live_url_prefix is required for the live environment (Customer Area → Developers → API URLs)",
      });
    }
  });

export type StripeAccountInput = z.output<typeof stripeAccountSchema>;
export type AdyenAccountInput = z.output<typeof adyenAccountSchema>;
