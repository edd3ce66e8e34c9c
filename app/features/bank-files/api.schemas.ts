// The queue of unapplied bank payments through the API: request schemas (the very ones the use
// cases validate with), the answer's shape and the operations for the OpenAPI document.
import { z } from "zod";
import { body, id, instant, json, nullableString, page, type Operation } from "~/api/openapi/operation";
import { limitParam } from "~/api/query-schemas";
import { multiLine } from "~/api/text";
import { UNAPPLIED_REASONS, UNAPPLIED_STATES } from "~/domain/unapplied-payments";

export const listUnappliedQuerySchema = z
  .object({
    state: z.enum(UNAPPLIED_STATES, { errorMap: () => ({ message: `state must be one of ${UNAPPLIED_STATES.join(", ")}` }) }).optional(),
    limit: limitParam.optional(),
    cursor: z.string().optional(),
  })
  .strict();

const version = z
  .number({ required_error: "version is required: the version you read (it guards against two people changing one payment)", invalid_type_error: "version must be a whole number" })
  .int("version must be a whole number")
  .min(1, "version must be 1 or more")
  .openapi({ description: "The `version` of the payment as you read it; a change since then is a 409.", example: 1 });

const note = multiLine(z.string().trim().max(1000, "note may have at most 1000 characters"), "note").optional();

const minorAmount = z
  .number({ required_error: "amount is required", invalid_type_error: "amount must be a whole number of minor units (öre, cents)" })
  .int("amount must be a whole number of minor units (öre, cents)")
  .positive("amount must be greater than 0")
  .max(Number.MAX_SAFE_INTEGER, "amount is too large");

export const MAX_ALLOCATION_PARTS = 50;

export const allocateSchema = z
  .object({
    version,
    parts: z
      .array(
        z
          .object({
            invoice_id: z.string({ required_error: "invoice_id is required", invalid_type_error: "invoice_id must be an invoice id (inv_…)" }),
            amount: minorAmount,
            overpayment: z.boolean({ invalid_type_error: "overpayment must be true or false" }).optional().openapi({
              description: "true books more than the invoice's amount due on it (the invoice then shows the over-payment); otherwise a part is at most the amount due.",
            }),
          })
          .strict(),
        { required_error: "parts is required", invalid_type_error: "parts must be a list of { invoice_id, amount }" },
      )
      .min(1, "parts must name at least one invoice")
      .max(MAX_ALLOCATION_PARTS, `parts may name at most ${MAX_ALLOCATION_PARTS} invoices`),
    note,
  })
  .strict();

export type AllocateInput = z.output<typeof allocateSchema>;

export const resolveSchema = z.object({ version, note }).strict();
export type ResolveInput = z.output<typeof resolveSchema>;

// ---- The answer, and the operations for the OpenAPI document ----

const minor = z.number().int().openapi({ description: "Minor units (öre, cents)" });
const date = z.string().openapi({ format: "date", example: "2026-03-20" });

export const unappliedPaymentSchema = z
  .object({
    id: z.string().openapi({ example: "upa_4mZ7Qk2Vb9XcYtR1sPq3Lw" }),
    state: z.enum(UNAPPLIED_STATES).openapi({
      description: "open: waiting for you; allocated: all of it placed on invoices; refund_pending: to be paid back; not_ours: not your money.",
    }),
    version: z.number().int().openapi({ description: "Grows with every change; send it back with a change." }),
    reason: z.enum(UNAPPLIED_REASONS).openapi({
      description:
        "unmatched: no reference names an invoice; ambiguous: a reference fits several; currency: paid in another currency than the invoice; " +
        "cancelled: the invoice named is cancelled; bank_id_reused: the bank's id was booked before for another amount; " +
        "overpaid: booked on `invoice_id`, which it overpaid by `remaining`.",
    }),
    reason_detail: z.string().openapi({ description: "The reason in words, as the import's report said it." }),
    amount: minor.openapi({ description: "The bank payment's amount (minor units)." }),
    remaining: minor.openapi({ description: "What is still to be placed (minor units); for an over-payment, the excess." }),
    currency: z.string().openapi({ example: "SEK" }),
    paid_on: date,
    invoice_id: nullableString.openapi({ description: "For an over-payment: the invoice that holds it." }),
    bank: z.object({ format: z.enum(["bgmax", "camt054"]), transaction_id: z.string(), position: z.string(), import_id: nullableString }).strict(),
    payer: z
      .object({ name: nullableString, account: nullableString, org_number: nullableString, references: z.array(z.string()), free_text: nullableString })
      .strict()
      .openapi({ description: "What the bank passed on about the payer, as read." }),
    allocations: z.array(
      z.object({ invoice_id: z.string(), invoice_number: z.string(), amount: minor, overpayment: z.boolean(), payment_id: z.string(), created_at: instant }).strict(),
    ),
    proposals: z
      .array(z.object({ invoice_id: z.string(), invoice_number: z.string(), report_id: z.string(), reason: z.string(), created_at: instant }).strict())
      .openapi({ description: "Invoices whose payer reported paying this amount about then (\"I have paid\"): proposed, never booked by themselves." }),
    note: nullableString,
    created_at: instant,
    updated_at: instant,
    resolved_at: instant.nullable(),
    resolved_by: nullableString.openapi({ description: "Who allocated it in full or marked it: an API key or console user id, or operator." }),
  })
  .strict()
  .openapi({
    example: {
      id: "upa_4mZ7Qk2Vb9XcYtR1sPq3Lw",
      state: "open",
      version: 1,
      reason: "unmatched",
      reason_detail: "No reference the bank could read (free text: \"faktura mars\").",
      amount: 1_187_500,
      remaining: 1_187_500,
      currency: "SEK",
      paid_on: "2026-03-20",
      invoice_id: null,
      bank: { format: "bgmax", transaction_id: "bgmax:2026032001:1", position: "section 1, payment 1", import_id: "imp_7nW2Xq4Rb8YcTz1sLp5Kv" },
      payer: { name: "Kund AB", account: "56781234", org_number: "5560360793", references: [], free_text: "faktura mars" },
      allocations: [],
      proposals: [
        {
          invoice_id: "inv_2bX9Lq7Wc4TzRk1mPv8Ns",
          invoice_number: "F-1001",
          report_id: "prp_5kQ8Wz3Vb7XcRt2mLp9Nd",
          reason: "The payer reported paying 11 875,00 SEK on 2026-03-19 for F-1001, and the name matches the customer.",
          created_at: "2026-03-20T07:00:00Z",
        },
      ],
      note: null,
      created_at: "2026-03-20T07:00:00Z",
      updated_at: "2026-03-20T07:00:00Z",
      resolved_at: null,
      resolved_by: null,
    },
  });

export const unappliedPaymentPageSchema = page(unappliedPaymentSchema);

const params = z.object({ id: id("id", "upa") });
const TAG = "Unapplied payments";
/** One example for both markings: the document shows one schema with one example. */
const RESOLVE_EXAMPLE = { version: 1, note: "Checked with the payer on 21 March." };

export const unappliedPaymentOperations: Operation[] = [
  {
    method: "get", path: "/api/v1/unapplied-payments", operationId: "listUnappliedPayments", tag: TAG, query: listUnappliedQuerySchema,
    summary: "Bank payments waiting for you, oldest first",
    description:
      "Every bank payment an import could not book on its own: no or an unknown reference, one that fits several invoices, another currency, " +
      "a cancelled invoice, or the excess of an over-payment. A re-import of the same file adds none. Filter with `state` (open for the work left).",
    success: [json(200, "A page of unapplied payments", unappliedPaymentPageSchema, "UnappliedPaymentPage")], errors: [422],
  },
  {
    method: "get", path: "/api/v1/unapplied-payments/{id}", operationId: "getUnappliedPayment", tag: TAG, params,
    summary: "One unapplied payment, with what was placed and what is proposed",
    success: [json(200, "The unapplied payment", unappliedPaymentSchema, "UnappliedPayment")],
  },
  {
    method: "post", path: "/api/v1/unapplied-payments/{id}/allocate", operationId: "allocateUnappliedPayment", tag: TAG, params, idempotent: true,
    summary: "Place an open payment on one or several of your invoices, to the öre",
    description:
      "Each part is booked as a bank-transfer payment through the ledger (balance, events, webhooks, receipts, as an automatic booking) in one " +
      "transaction. The parts may add up to the remaining amount or less: the rest stays open. A part is at most the invoice's amount due unless " +
      "it says `overpayment: true`. Every wrong part is a 422 naming it (unknown or another supplier's invoice, cancelled, credit note, another " +
      "currency, more than due, named twice, parts adding up to more than remaining, payment not open; an over-payment is already booked on its " +
      "invoice and is not moved). `version` must be the one you read: if someone changed the payment since, 409 and nothing is booked.",
    body: body(allocateSchema, "UnappliedPaymentAllocate", {
      version: 1, parts: [{ invoice_id: "inv_4mZ7Qk2Vb9XcYtR1sPq3Lw", amount: 250_000 }, { invoice_id: "inv_7H3kQ2Vb9XcYtR1sPq3LwA", amount: 100_000 }],
    }),
    success: [json(200, "The payment, with its allocations", unappliedPaymentSchema, "UnappliedPayment")], errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/unapplied-payments/{id}/refund", operationId: "markUnappliedPaymentRefund", tag: TAG, params, idempotent: true,
    summary: "Mark an open payment to be paid back to the payer",
    description: "The state becomes refund_pending; nothing is booked. Send the refund from your bank. 409 if the payment changed since `version`.",
    body: body(resolveSchema, "UnappliedPaymentResolve", RESOLVE_EXAMPLE),
    success: [json(200, "The payment", unappliedPaymentSchema, "UnappliedPayment")], errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/unapplied-payments/{id}/not-ours", operationId: "markUnappliedPaymentNotOurs", tag: TAG, params, idempotent: true,
    summary: "Mark an open payment as not your money (it leaves the work list)",
    description: "The state becomes not_ours; nothing is booked. An over-payment is booked on your invoice, so it cannot be marked so (422). 409 if the payment changed since `version`.",
    body: body(resolveSchema, "UnappliedPaymentResolve", RESOLVE_EXAMPLE),
    success: [json(200, "The payment", unappliedPaymentSchema, "UnappliedPayment")], errors: [409, 422],
  },
];
