// The JSON the API answers, as zod schemas for the OpenAPI document. Requests are validated by the
// schemas in app/api/*-schemas.ts and the services; answers are built by plain functions
// (invoiceJson, paymentJson, …), so their shapes are described here. Strict objects: the contract
// tests parse real answers with these, so a field added to an answer but not here fails a test.
// A feature whose operations moved next to its schemas took its answers along (customers, webhooks).
import { z } from "zod";
import { API_INVOICE_STATUSES } from "~/features/invoices/api.schemas";
import { ACCOUNT_METHODS, LEDGER_METHODS, PAYMENT_OPTIONS } from "~/domain/payment-methods";
import { CORNERS } from "~/domain/pay-box-position";
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { instant, list, nullableString, page } from "./operation";
import { FORMATS } from "./formats";

extendZodWithOpenApi(z);

const date = z.string().openapi({ format: "date", example: "2026-03-31" });
const minor = z.number().int().openapi({ description: "Minor units (öre, cents)" });
const currency = z.string().openapi({ pattern: "^[A-Z]{3}$", example: "SEK", description: "ISO 4217" });
const documented = (format: Record<string, unknown>) => z.string().openapi(format);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(
        z
          .object({
            field: z.string().openapi({ example: "lines[2].net" }),
            message: z.string().openapi({ example: "net must be a whole number of minor units" }),
            line: z.number().int().min(1).optional().openapi({ description: "The file's line, for an import (CSV) error." }),
          })
          .strict(),
      )
      .optional(),
  })
  .passthrough()
  .openapi({
    description:
      "RFC 9457 problem details; `errors` names each wrong field by its path (lines[2].net). An import's 422 also carries its report's fields.",
    example: {
      type: "about:blank", title: "Validation failed", status: 422, detail: "The request has invalid fields.",
      errors: [{ field: "due_date", message: "due_date must not be before issue_date" }],
    },
  });

const invoiceLine = z
  .object({
    description: z.string(),
    quantity: z.number(),
    unit: nullableString,
    unit_price: minor,
    vat_rate: z.number(),
    net: minor,
    vat: minor,
  })
  .strict();

export const invoiceSchema = z
  .object({
    id: z.string().openapi({ example: "inv_4mZ…" }),
    number: z.string(),
    currency,
    issue_date: date,
    due_date: date,
    customer: z
      .object({
        id: z.string(),
        external_id: nullableString,
        name: z.string(),
        contacts_confirmed_at: instant.nullable().openapi({
          description: "When the customer last confirmed or corrected its billing contacts (a contact-update campaign); null: never.",
        }),
      })
      .strict(),
    lines: z.array(invoiceLine),
    total_net: minor,
    total_vat: minor,
    rounding: minor,
    total: minor,
    ocr: documented(FORMATS.ocr),
    portal_url: z.string().optional().openapi({ description: "Only when a link was just issued (create)." }),
    amount_paid: minor,
    amount_due: minor,
    status: z.enum(API_INVOICE_STATUSES),
    payment_reported_until: instant.nullable(),
    confirmed_at: instant.nullable(),
    confirmed_by: nullableString,
    confirmed_reference: nullableString,
    confirmed_cost_centre: nullableString,
    disputed: z.boolean(),
    delivery_status: z.enum(["none", "pending", "approved", "problem"]),
    cancelled_at: instant.nullable(),
    credits_invoice_id: nullableString,
    created_at: instant,
  })
  .strict();

export const invoicePageSchema = page(invoiceSchema);

export const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    actor: z.enum(["payer", "supplier", "system", "operator"]),
    actor_id: nullableString,
    ip: nullableString,
    user_agent: nullableString,
    data: z.record(z.unknown()),
    created_at: instant,
  })
  .strict();

export const reminderSchema = z
  .object({
    id: z.string(),
    step: z.enum(["before_due", "first", "second", "final"]),
    status: z.enum(["queued", "sent", "skipped"]),
    skip_reason: nullableString,
    fee: minor.nullable(),
    interest: minor.nullable(),
    email_id: nullableString,
    queued_at: instant,
    sent_at: instant.nullable(),
  })
  .strict();

export const portalLinkSchema = z.object({ portal_url: z.string(), expires_at: instant }).strict();

export const payLinkSchema = z
  .object({
    url: z.string().openapi({ description: "Short print-friendly URL (/p/<code>) that redirects to the portal." }),
    code: z.string(),
    qr: z.object({ svg: z.string(), png: z.string() }).strict(),
  })
  .strict();

const imageUrls = z.object({ svg: z.string(), png: z.string() }).strict();

export const paymentInstructionsSchema = z
  .object({
    invoice_id: z.string(),
    currency,
    amount_due: minor,
    due_date: date,
    bank_accounts: z
      .object({ bankgiro: nullableString, plusgiro: nullableString, iban: nullableString, bic: nullableString })
      .strict(),
    ocr: documented(FORMATS.ocr),
    rf: nullableString,
    rf_printed: nullableString,
    swish: z.object({ number: z.string(), payload: z.string(), image_urls: imageUrls }).strict().nullable(),
    invoice_qr: z
      .object({ payload: z.string(), payment_type: z.enum(["BG", "PG", "IBAN", "BBAN"]), image_urls: imageUrls })
      .strict()
      .nullable(),
    epc_qr: z.object({ payload: z.string(), image_urls: imageUrls }).strict().nullable(),
  })
  .strict();

export const noticeResultSchema = z
  .object({
    invoice_id: z.string(),
    emails: z.array(z.object({ id: z.string(), to: z.string(), status: z.enum(["queued", "already_sent"]) }).strict()),
  })
  .strict();

export const importReportSchema = z
  .object({
    dry_run: z.boolean(),
    all_or_nothing: z.boolean(),
    invoices: z.number().int(),
    created: z.array(z.object({ line: z.number().int(), number: z.string(), id: z.string() }).strict()),
    would_create: z.array(z.object({ line: z.number().int(), number: z.string() }).strict()),
    skipped: z.array(
      z.object({ line: z.number().int(), number: z.string(), id: nullableString, reason: z.literal("exists") }).strict(),
    ),
    errors: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() }).strict()),
  })
  .strict();

const bankFileFlag = z
  .object({
    position: z.string().openapi({ description: "Where in the file: `line 12` (BgMax) or `entry 3` (camt.054)." }),
    transaction_id: z.string(),
    reference: nullableString,
    amount: minor.openapi({ description: "The bank payment's amount (minor units); negative for a deduction." }),
    currency,
    invoice_id: nullableString,
    invoice_number: nullableString,
    message: z.string(),
  })
  .strict();

const bankFileFlagKinds = ["unmatched", "underpaid", "overpaid", "duplicate", "deduction", "currency", "cancelled"] as const;

export const bankFileReportSchema = z
  .object({
    format: z.enum(["bgmax", "camt054"]),
    account: z.object({ bankgiro: nullableString, iban: nullableString }).strict(),
    created_at: instant.nullable(),
    test: z.boolean().openapi({ description: "A BgMax test file (T): only accepted as a dry run." }),
    dry_run: z.boolean(),
    payments: z.number().int().openapi({ description: "Entries in the file: payments and deductions." }),
    booked: z.number().int().openapi({ description: "Payments booked now (one split over several invoices counts once)." }),
    already_imported: z.number().int().openapi({ description: "Payments an earlier import already booked: counted, never booked again." }),
    amount_booked: z.record(minor).openapi({ description: "Booked now, per currency, in minor units." }),
    flags: z
      .object(Object.fromEntries(bankFileFlagKinds.map((kind) => [kind, z.array(bankFileFlag)])) as Record<(typeof bankFileFlagKinds)[number], z.ZodArray<typeof bankFileFlag>>)
      .strict()
      .openapi({
        description:
          "What a person should look at. unmatched: no invoice for the reference (or none given); underpaid: still due after it; " +
          "overpaid: paid beyond the total; duplicate: the invoice was already fully paid; deduction: a credit note or reference the payer deducted (BgMax TK21 and TK23, a camt.054 credit note), not booked; " +
          "currency: paid in another currency than the invoice's, not booked; cancelled: the invoice is cancelled, not booked.",
      }),
    items: z.array(
      z
        .object({
          position: z.string(),
          transaction_id: z.string(),
          kind: z.enum(["payment", "deduction"]),
          date: date,
          references: z.array(z.string()),
          reference_checked: z.boolean(),
          amount: minor,
          currency,
          payer_name: nullableString,
          deductions: z.array(z.string()).openapi({ description: "References the payer deducted (BgMax TK23, a camt.054 credit note): not paid by this payment." }),
          warnings: z.array(z.string()).openapi({ description: "Display-only fields that were malformed (a payer bankgiro, an org number), and splits that could not follow the payer's own amounts." }),
          outcome: z.enum(["booked", "already_imported", "unmatched", "deduction", "currency", "cancelled", "not_booked"]),
          invoices: z.array(
            z.object({ id: z.string(), number: z.string(), amount: minor, payment_id: nullableString }).strict(),
          ),
          flags: z.array(z.enum(bankFileFlagKinds)),
        })
        .strict(),
    ),
  })
  .strict();

export const importSchema = z
  .object({
    id: z.string().openapi({ example: "imp_4mZ7Qk2Vb9XcYtR1sPq3Lw" }),
    kind: z.enum(["invoices_csv", "bank_file"]),
    state: z.enum(["queued", "running", "succeeded", "failed"]).openapi({
      description: "queued, then running (a worker has it), then succeeded (see report) or failed (see problem, and report for a CSV's bad rows).",
    }),
    options: z.object({ dry_run: z.boolean(), all_or_nothing: z.boolean().optional() }).strict(),
    progress: z
      .object({
        processed: z.number().int().openapi({ description: "Invoices (CSV) or payments (bank file) done so far." }),
        total: z.number().int().nullable().openapi({ description: "How many the file holds; null until the file is read." }),
      })
      .strict(),
    report: z.union([importReportSchema, bankFileReportSchema]).nullable().openapi({
      description: "When done: an ImportReport (invoices_csv) or a BankFileReport (bank_file). A failed CSV import keeps its report, naming each bad row.",
    }),
    problem: problemSchema.nullable().openapi({ description: "Why a failed import imported nothing: 422 for the file itself, naming its line or entry." }),
    created_at: instant,
    started_at: instant.nullable(),
    finished_at: instant.nullable(),
  })
  .strict();

export const paymentSchema = z
  .object({
    id: z.string(),
    invoice_id: z.string(),
    provider: z.enum(["stripe", "adyen", "manual"]),
    provider_reference: nullableString,
    method: z.enum(LEDGER_METHODS),
    currency,
    amount: minor,
    amount_refunded: minor,
    amount_settled: minor,
    status: z.enum(["pending", "succeeded", "failed", "cancelled"]),
    chargeback: z.enum(["open", "won", "lost"]).nullable(),
    failure_reason: nullableString,
    received_at: instant.nullable(),
    note: nullableString,
    created_at: instant,
    updated_at: instant,
  })
  .strict();

export const paymentPageSchema = page(paymentSchema);

export const invoiceDeliverySchema = z
  .object({
    id: z.string(),
    invoice_id: z.string(),
    description: z.string(),
    delivered_on: date.nullable(),
    location: nullableString,
    lines: z.array(z.number().int()).nullable(),
    status: z.enum(["pending", "approved", "problem"]),
    decided_at: instant.nullable(),
    created_at: instant,
  })
  .strict();

export const disputeSchema = z
  .object({
    id: z.string(),
    invoice_id: z.string(),
    kind: z.enum(["invoice", "delivery"]),
    delivery_id: nullableString,
    reason: z.string(),
    message: nullableString,
    lines: z.array(z.number().int()).nullable(),
    attachment: z
      .object({ id: z.string(), filename: z.string(), content_type: z.string(), size: z.number().int() })
      .strict()
      .nullable(),
    reporter: z.object({ name: nullableString, email: nullableString }).strict(),
    status: z.enum(["open", "accepted", "rejected"]),
    resolution: z.record(z.unknown()).nullable(),
    created_at: instant,
    resolved_at: instant.nullable(),
    corrected_invoice: z
      .object({ id: z.string(), number: z.string(), portal_url: z.string() })
      .strict()
      .optional()
      .openapi({ description: "Only in the answer to resolve, when a corrected invoice was given." }),
  })
  .strict();

export const disputePageSchema = page(disputeSchema);

export const suppressionSchema = z
  .object({
    address: z.string(),
    reason: z.enum(["bounced", "complained"]),
    detail: nullableString,
    email_id: nullableString,
    created_at: instant,
  })
  .strict();

export const suppressionPageSchema = page(suppressionSchema);

export const paymentAccountSchema = z
  .object({
    id: z.string(),
    provider: z.enum(["stripe", "adyen"]),
    methods: z.array(z.enum(ACCOUNT_METHODS)),
    webhook_url: z.string(),
    credentials: z.union([
      z.object({ secret_key_hint: z.string(), mode: z.enum(["test", "live"]), webhook_secret_hint: z.string() }).strict(),
      z
        .object({
          api_key_hint: z.string(),
          merchant_account: z.string(),
          environment: z.enum(["test", "live"]),
          live_url_prefix: nullableString,
          hmac_key_hint: z.string(),
          notification_username: z.string(),
        })
        .strict(),
    ]).openapi({ description: "Hints of the keys, never the keys." }),
    created_at: instant,
    updated_at: instant,
  })
  .strict();

export const supplierSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    org_number: documented(FORMATS.orgNumber).nullable(),
    vat_number: documented(FORMATS.vatNumber).nullable(),
    bankgiro: documented(FORMATS.bankgiro).nullable(),
    plusgiro: documented(FORMATS.plusgiro).nullable(),
    iban: documented(FORMATS.iban).nullable(),
    bic: documented(FORMATS.bic).nullable(),
    swish_number: documented(FORMATS.swishNumber).nullable(),
    time_zone: documented(FORMATS.timeZone),
    language: z.enum(["sv", "en"]),
    brand_color: documented(FORMATS.hexColour).nullable(),
    logo_url: documented(FORMATS.httpsUrl).nullable(),
    notification_email: documented(FORMATS.email).nullable(),
    contact_email: documented(FORMATS.email).nullable(),
    contact_phone: documented(FORMATS.phone).nullable(),
    reminder_policy: z.record(z.number().int()),
    reminder_policy_is_default: z.boolean(),
    reminder_fee_agreed: z.boolean(),
    reminder_fee: minor.nullable(),
    payment_options: z.array(z.enum(PAYMENT_OPTIONS)),
    payment_report_pause_days: z.number().int(),
    pay_box_position: z
      .object({ corner: z.enum(CORNERS), x_mm: z.number(), y_mm: z.number(), width_mm: z.number() })
      .strict()
      .nullable()
      .openapi({ description: "Where the pay-now box is stamped on the supplier's own PDFs; null: a free corner" }),
    created_at: instant,
    updated_at: instant,
  })
  .strict();

/** The supplier's own PDF of an invoice, as stored (issue #21). */
export const supplierPdfSchema = z
  .object({
    invoice_id: z.string(),
    byte_size: z.number().int(),
    page_count: z.number().int(),
    sha256: z.string().openapi({ description: "SHA-256 of the file, hex" }),
    uploaded_at: instant,
  })
  .strict();

const count = z.number().int().min(0);

export const campaignSchema = z
  .object({
    id: z.string().openapi({ example: "cmp_4mZ…" }),
    object: z.literal("campaign"),
    name: z.string(),
    message: z.string(),
    audience: z.union([
      z.enum(["all", "open_invoices"]),
      z.object({ stale_months: z.number().int() }).strict(),
      z.object({ customer_ids: z.array(z.string()) }).strict(),
    ]),
    status: z.enum(["draft", "scheduled", "sending", "open", "closed", "cancelled"]).openapi({
      description: "draft: not started; scheduled: started, start_at ahead; sending: emails still queued; open: asking until the deadline; closed: past it; cancelled.",
    }),
    start_at: instant.nullable(),
    deadline: instant,
    created_at: instant,
    started_at: instant.nullable(),
    cancelled_at: instant.nullable(),
    counts: z
      .object({
        customers: count, sent: count, delivered: count, bounced: count, opened: count, confirmed: count, corrected: count, no_answer: count,
      })
      .strict()
      .openapi({
        description:
          "Customers in the campaign. sent/delivered/bounced/opened: customers with at least one such email (opened also counts a visit to the page); " +
          "confirmed/corrected: their answer; no_answer: not answered yet.",
      }),
    emails: z
      .object({ total: count, queued: count, sent: count, delivered: count, opened: count, bounced: count, suppressed: count, failed: count })
      .strict()
      .openapi({ description: "The campaign's emails (requests and follow-ups) by what happened to them." }),
  })
  .strict();

export const campaignPageSchema = page(campaignSchema);

const campaignRecipientSchema = z
  .object({
    customer_id: z.string(),
    customer_name: z.string(),
    external_id: nullableString,
    state: z.enum(["no_email", "queued", "sent", "delivered", "bounced", "opened", "confirmed", "corrected"]).openapi({
      description: "The furthest step reached; no_email: the customer has no billing contact with an email address.",
    }),
    answer: z.enum(["confirmed", "corrected"]).nullable(),
    answered_at: instant.nullable(),
    opened_at: instant.nullable(),
    contacts_confirmed_at: instant.nullable(),
    emails: z.array(
      z
        .object({
          to: z.string(),
          kind: z.enum(["request", "halfway", "final"]),
          status: z.enum(["queued", "sent", "failed", "suppressed"]),
          sent_at: instant.nullable(),
          delivered_at: instant.nullable(),
          opened_at: instant.nullable(),
          bounced_at: instant.nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export const campaignReportSchema = campaignSchema
  .extend({
    recipients: z
      .object({
        data: z.array(campaignRecipientSchema),
        has_more: z.boolean(),
        next_after: nullableString.openapi({ description: "Pass as ?after= for the next page of customers." }),
      })
      .strict(),
  })
  .strict();

export const listOf = list;
