// The JSON the API answers, as zod schemas for the OpenAPI document. Requests are validated by the
// schemas in app/api/*-schemas.ts and the services; answers are built by plain functions
// (invoiceJson, paymentJson, …), so their shapes are described here. Strict objects: the contract
// tests parse real answers with these, so a field added to an answer but not here fails a test.
// A feature whose operations moved next to its schemas took its answers along (customers, webhooks).
// Each answer carries an example (typed by its schema, checked against the document by
// test/integration/api/openapi-examples.test.ts): one story, the invoice F-1001 from Leverantör AB
// to Kund AB, 11 875,00 kr with its OCR 100164; pages and lists take their item's example.
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

/** The ids and the public address the examples share, so they read as one account. */
const INVOICE_ID = "inv_4mZ7Qk2Vb9XcYtR1sPq3Lw";
const CUSTOMER_ID = "cus_6avtw0BCzjv9Elxdk0sBua";
const PUBLIC_URL = "https://pay.leverantor.example";
const images = (path: string) => ({ svg: `${PUBLIC_URL}/api/v1/invoices/${INVOICE_ID}/${path}.svg`, png: `${PUBLIC_URL}/api/v1/invoices/${INVOICE_ID}/${path}.png` });

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

export const reminderPauseSchema = z
  .object({
    paused_at: instant,
    until: instant.nullable().openapi({ description: "null: until resumed (POST …/reminders/resume)." }),
    by: z.enum(["user", "api_key"]).openapi({ description: "A console user or an API key paused them." }),
    by_id: nullableString,
    reason: nullableString,
  })
  .strict()
  .openapi({
    description:
      "The supplier's own pause of the invoice's reminders, while it runs. Apart from the payer's \"I have paid\" " +
      "(payment_reported_until): resuming ends this pause only, and reminders stay paused while the payer's report runs.",
    example: { paused_at: "2026-04-02T10:12:00.000Z", until: "2026-04-20T00:00:00.000Z", by: "user", by_id: "usr_1bQvH8m3K0tYzR5pLw2XcD", reason: "Payment plan agreed by phone" },
  });

export const invoiceSchema = z
  .object({
    id: z.string().openapi({ example: INVOICE_ID }),
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
    reminders_paused: z.boolean().openapi({ description: "True while no reminder goes out: reminder_pause or payment_reported_until is running." }),
    reminder_pause: reminderPauseSchema.nullable(),
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
  .strict()
  .openapi({
    example: {
      id: INVOICE_ID, number: "F-1001", currency: "SEK", issue_date: "2026-03-01", due_date: "2026-03-31",
      customer: { id: CUSTOMER_ID, external_id: "K-1001", name: "Kund AB", contacts_confirmed_at: "2026-01-20T13:02:44.512Z" },
      lines: [{ description: "Consulting, March", quantity: 10, unit: "h", unit_price: 95_000, vat_rate: 25, net: 950_000, vat: 237_500 }],
      total_net: 950_000, total_vat: 237_500, rounding: 0, total: 1_187_500, ocr: "100164",
      portal_url: `${PUBLIC_URL}/i/v1.AeFJcIiuAjML5mV74GmQpDoAAAACbtlstQ.A_2LpwXLwA2T2iwDgNgdrSRU8QVds_iBnKxZb_hjajg`,
      amount_paid: 500_000, amount_due: 687_500, status: "open", payment_reported_until: null,
      reminders_paused: false, reminder_pause: null,
      confirmed_at: "2026-03-02T09:41:10.200Z", confirmed_by: "Per Persson", confirmed_reference: "PO-4711", confirmed_cost_centre: "1200",
      disputed: false, delivery_status: "approved", cancelled_at: null, credits_invoice_id: null, created_at: "2026-03-01T08:15:02.123Z",
    },
  });

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
  .strict()
  .openapi({
    example: {
      id: "evt_3qd9vjgPUpb8LDUNhgcaKD", type: "invoice.confirmed", actor: "payer", actor_id: null, ip: "203.0.113.7",
      user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)", data: { reference: "PO-4711", cost_centre: "1200" },
      created_at: "2026-03-02T09:41:10.200Z",
    },
  });

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
  .strict()
  .openapi({
    example: {
      id: "rem_42QUrZwf28QxJyalNep38G", step: "first", status: "sent", skip_reason: null, fee: 6_000, interest: 1_211,
      email_id: "msg_5MdrF0e9xyDR9Dzx5JW5D6", queued_at: "2026-04-05T07:00:01.004Z", sent_at: "2026-04-05T07:00:03.517Z",
    },
  });

export const portalLinkSchema = z
  .object({ portal_url: z.string(), expires_at: instant })
  .strict()
  .openapi({
    example: {
      portal_url: `${PUBLIC_URL}/i/v2.AeFJcIiuAjML5mV74GmQpDoAAAACbtlstQ.kP0q4m9sWc7hZr2Xb8NlTyGdu5JvQeA1fOiE3nRxYsg`,
      expires_at: "2028-03-01T08:15:02.000Z",
    },
  });

export const payLinkSchema = z
  .object({
    url: z.string().openapi({ description: "Short print-friendly URL (/p/<code>) that redirects to the portal." }),
    code: z.string(),
    qr: z.object({ svg: z.string(), png: z.string() }).strict(),
  })
  .strict()
  .openapi({
    example: { url: `${PUBLIC_URL}/p/5nHm7R1qgkg7jruQs63uRW`, code: "5nHm7R1qgkg7jruQs63uRW", qr: images("pay-link/qr") },
  });

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
  .strict()
  .openapi({
    example: {
      invoice_id: INVOICE_ID, currency: "SEK", amount_due: 687_500, due_date: "2026-03-31",
      bank_accounts: { bankgiro: "5050-1055", plusgiro: null, iban: "SE4550000000058398257466", bic: "ESSESESS" },
      ocr: "100164", rf: "RF33100164", rf_printed: "RF33 1001 64",
      swish: { number: "1231181189", payload: "C1231181189;6875,00;100164;0", image_urls: images("qr/swish") },
      invoice_qr: {
        payload: '{"uqr":1,"tp":1,"nme":"Leverantör AB","iref":"100164","idt":"20260301","ddt":"20260331","due":6875.00,"cur":"SEK","pt":"BG","acc":"5050-1055"}',
        payment_type: "BG", image_urls: images("qr/uqr"),
      },
      epc_qr: null,
    },
  });

export const noticeResultSchema = z
  .object({
    invoice_id: z.string(),
    emails: z.array(z.object({ id: z.string(), to: z.string(), status: z.enum(["queued", "already_sent"]) }).strict()),
  })
  .strict()
  .openapi({
    example: {
      invoice_id: INVOICE_ID,
      emails: [
        { id: "msg_5MdrF0e9xyDR9Dzx5JW5D6", to: "per@kund.example", status: "queued" },
        { id: "msg_2bYq8TcV0wLr6NsKd3HfPe", to: "ap@kund.example", status: "already_sent" },
      ],
    },
  });

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

const bankFileItem = z
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
  .strict();

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
    flag_counts: z
      .object(Object.fromEntries(bankFileFlagKinds.map((kind) => [kind, z.number().int()])) as Record<(typeof bankFileFlagKinds)[number], z.ZodNumber>)
      .strict()
      .openapi({ description: "Flags of each kind in the whole file. `flags` lists at most the first 1,000 of each kind." }),
    complete: z.boolean().openapi({
      description: "true when `items` and `flags` hold every entry and flag of the file; false for a large file, whose report holds the first 1,000 of each: page every item (with its flags) at GET /api/v1/imports/{id}/items.",
    }),
    items: z.array(bankFileItem).openapi({ description: "The file's entries in order: all of them, or the first 1,000 (see `complete`)." }),
  })
  .strict();

export const bankFileReportEntrySchema = bankFileItem
  .extend({
    flag_details: z
      .array(
        z
          .object({ kind: z.enum(bankFileFlagKinds), reference: nullableString, invoice_id: nullableString, invoice_number: nullableString, message: z.string() })
          .strict(),
      )
      .openapi({ description: "This entry's flags in words, as the report's `flags` list them." }),
  })
  .strict()
  .openapi({
    example: {
      position: "line 14", transaction_id: "bgmax:2026032001:3", kind: "payment", date: "2026-03-20", references: ["4512345678"], reference_checked: true,
      amount: 50_000, currency: "SEK", payer_name: "Kund AB", deductions: [], warnings: [], outcome: "booked",
      invoices: [{ id: INVOICE_ID, number: "F-1001", amount: 50_000, payment_id: "pay_33kFdjOsVwhbNlhKChNxjK" }], flags: ["underpaid"],
      flag_details: [{ kind: "underpaid", reference: "4512345678", invoice_id: INVOICE_ID, invoice_number: "F-1001", message: "Invoice F-1001: 500.00 SEK still due." }],
    },
  });

export const bankFileReportPageSchema = page(bankFileReportEntrySchema);

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
  .strict()
  .openapi({
    example: {
      id: "imp_4NgqC7oCv2UFQVFj9vRXAl", kind: "invoices_csv", state: "succeeded", options: { dry_run: false, all_or_nothing: false },
      progress: { processed: 3, total: 3 },
      report: {
        dry_run: false, all_or_nothing: false, invoices: 3,
        created: [{ line: 2, number: "F-2001", id: "inv_7QQFYFlHpCLL7etv6nTjQA" }, { line: 4, number: "F-2003", id: "inv_3Jit31r9Bw7TMzMcjFMpwZ" }],
        would_create: [],
        skipped: [{ line: 3, number: "F-1001", id: INVOICE_ID, reason: "exists" }],
        errors: [],
      },
      problem: null,
      created_at: "2026-03-03T12:00:00.412Z", started_at: "2026-03-03T12:00:00.530Z", finished_at: "2026-03-03T12:00:01.078Z",
    },
  });

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
  .strict()
  .openapi({
    example: {
      id: "pay_33kFdjOsVwhbNlhKChNxjK", invoice_id: INVOICE_ID, provider: "manual", provider_reference: null, method: "bank_transfer",
      currency: "SEK", amount: 500_000, amount_refunded: 0, amount_settled: 500_000, status: "succeeded", chargeback: null,
      failure_reason: null, received_at: "2026-03-14T09:00:00.000Z", note: "Bankgiro 2026-03-14",
      created_at: "2026-03-14T09:12:31.870Z", updated_at: "2026-03-14T09:12:31.870Z",
    },
  });

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
  .strict()
  .openapi({
    example: {
      id: "dlv_4h6L4zdEg40jW8sZOkXfJS", invoice_id: INVOICE_ID, description: "Pallet 1 of 2", delivered_on: "2026-03-02",
      location: "Gate 4", lines: [1], status: "approved", decided_at: "2026-03-02T14:20:05.000Z", created_at: "2026-03-01T08:16:40.310Z",
    },
  });

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
  .strict()
  .openapi({
    example: {
      id: "dsp_7LFVs0akH7PPLke74rFbZ1", invoice_id: INVOICE_ID, kind: "invoice", delivery_id: null, reason: "wrong_amount",
      message: "We agreed on 9 hours, not 10.", lines: [1],
      attachment: { id: "att_54uYYXzCfTdJfUwFgQXjZb", filename: "tidrapport-mars.pdf", content_type: "application/pdf", size: 48_213 },
      reporter: { name: "Per Persson", email: "per@kund.example" }, status: "rejected",
      resolution: { message: "Delivered as agreed; see the signed delivery note.", corrected_invoice_id: null, credit_note_reference: null, corrected_invoice_number: null },
      created_at: "2026-03-05T10:03:12.004Z", resolved_at: "2026-03-06T08:30:00.117Z",
    },
  });

export const disputePageSchema = page(disputeSchema);

export const suppressionSchema = z
  .object({
    address: z.string(),
    reason: z.enum(["bounced", "complained"]),
    detail: nullableString,
    email_id: nullableString,
    created_at: instant,
  })
  .strict()
  .openapi({
    example: {
      address: "ap@kund.example", reason: "bounced", detail: "550 5.1.1 The email account that you tried to reach does not exist",
      email_id: "msg_2bYq8TcV0wLr6NsKd3HfPe", created_at: "2026-03-01T08:16:02.910Z",
    },
  });

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
  .strict()
  .openapi({
    example: {
      id: "pac_67J4FpLVz39XNqZWeUaEMQ", provider: "stripe", methods: ["card"],
      webhook_url: `${PUBLIC_URL}/webhooks/stripe/pac_67J4FpLVz39XNqZWeUaEMQ`,
      credentials: { secret_key_hint: "sk_test_…p7dc", mode: "test", webhook_secret_hint: "whsec_…4b3c" },
      created_at: "2026-02-20T15:00:12.345Z", updated_at: "2026-02-20T15:00:12.345Z",
    },
  });

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
  .strict()
  .openapi({
    example: {
      id: "sup_5PoL7GEB5oY21Ux9wzrvic", name: "Leverantör AB", org_number: "556016-0680", vat_number: "SE556016068001",
      bankgiro: "5050-1055", plusgiro: null, iban: "SE4550000000058398257466", bic: "ESSESESS", swish_number: "1231181189",
      time_zone: "Europe/Stockholm", language: "sv", brand_color: "#1a5fb4", logo_url: "https://cdn.leverantor.example/logo.png",
      notification_email: "ekonomi@leverantor.example", contact_email: "kundtjanst@leverantor.example", contact_phone: "+46 8 123 456 78",
      reminder_policy: { before_due: -3, first: 5, second: 15, final: 30 }, reminder_policy_is_default: true,
      reminder_fee_agreed: true, reminder_fee: 6_000, payment_options: ["card", "bank_transfer", "swish", "bank_qr"],
      payment_report_pause_days: 7, pay_box_position: { corner: "bottom-right", x_mm: 10, y_mm: 12, width_mm: 90 },
      created_at: "2026-01-10T08:00:00.000Z", updated_at: "2026-02-20T15:00:12.345Z",
    },
  });

/** The supplier's own PDF of an invoice, as stored (issue #21). */
export const supplierPdfSchema = z
  .object({
    invoice_id: z.string(),
    byte_size: z.number().int(),
    page_count: z.number().int(),
    sha256: z.string().openapi({ description: "SHA-256 of the file, hex" }),
    uploaded_at: instant,
  })
  .strict()
  .openapi({
    example: {
      invoice_id: INVOICE_ID, byte_size: 84_213, page_count: 2,
      sha256: "bea0da274c574d479a3c74d6b87a7d5693524561ef00fa087f14b46d0274d998", uploaded_at: "2026-03-01T08:15:04.871Z",
    },
  });

const count = z.number().int().min(0);

const CAMPAIGN_EXAMPLE = {
  id: "cmp_7BZek1Kf8GN0e9HasjXhvr", object: "campaign" as const, name: "Kontaktuppgifter 2026",
  message: "Stämmer era fakturauppgifter? Bekräfta eller rätta dem senast 31 mars.", audience: "open_invoices" as const,
  status: "open" as const, start_at: null, deadline: "2026-03-31T21:59:59.999Z", created_at: "2026-03-01T07:30:00.000Z",
  started_at: "2026-03-01T07:31:12.006Z", cancelled_at: null,
  counts: { customers: 120, sent: 118, delivered: 115, bounced: 3, opened: 84, confirmed: 61, corrected: 9, no_answer: 50 },
  emails: { total: 176, queued: 0, sent: 171, delivered: 168, opened: 92, bounced: 3, suppressed: 2, failed: 0 },
};

export const campaignSchema = z
  .object({
    id: z.string().openapi({ example: "cmp_7BZek1Kf8GN0e9HasjXhvr" }),
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
  .strict()
  .openapi({ example: CAMPAIGN_EXAMPLE });

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
  .strict()
  .openapi({
    example: {
      ...CAMPAIGN_EXAMPLE,
      recipients: {
        data: [
          {
            customer_id: CUSTOMER_ID, customer_name: "Kund AB", external_id: "K-1001", state: "corrected", answer: "corrected",
            answered_at: "2026-03-04T10:15:00.000Z", opened_at: "2026-03-04T10:12:41.000Z", contacts_confirmed_at: "2026-03-04T10:15:00.000Z",
            emails: [{
              to: "per@kund.example", kind: "request", status: "sent", sent_at: "2026-03-01T07:31:15.220Z",
              delivered_at: "2026-03-01T07:31:17.000Z", opened_at: "2026-03-04T10:12:30.000Z", bounced_at: null,
            }],
          },
        ],
        has_more: true,
        next_after: CUSTOMER_ID,
      },
    },
  });

export const listOf = list;
