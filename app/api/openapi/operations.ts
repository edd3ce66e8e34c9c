// Every operation of /api/v1, as data: the OpenAPI document, the reference page and the contract
// tests all read this one table. Request schemas are the very zod objects the routes and services
// validate with (never copies), so the document cannot drift from what the API accepts.
// A feature declares its operations next to its schemas (customers: features/customers/api.server,
// webhooks: features/webhooks/api.schemas) and is listed here once; the sections still below move
// the same way, keeping this order (it is the document's order).
import { z } from "zod";
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { campaignReportQuerySchema, createCampaignSchema, listCampaignsQuerySchema } from "~/features/campaigns/api.schemas";
import {
  cancelInvoiceSchema, createCreditNoteSchema, createInvoiceSchema, CSV_IMPORT_MAX_BYTES, importQuerySchema, invoicePdfQuerySchema, listInvoicesQuerySchema,
  sendInvoiceSchema, supplierPdfQuerySchema, updateInvoiceSchema,
} from "~/features/invoices/api.schemas";
import { adyenAccountSchema, listPaymentsQuerySchema, recordPaymentSchema, stripeAccountSchema } from "~/features/payments/api.schemas";
import { settingsSchema, type SettingsField } from "~/features/suppliers/api.schemas";
import { PAYMENT_OPTIONS } from "~/domain/payment-methods";
import { CORNERS, PAY_BOX_OFFSET_MAX_MM, PAY_BOX_WIDTH_MM } from "~/domain/pay-box-position";
import { MAX_SUPPLIER_PDF_BYTES } from "~/features/invoices/supplier-pdf/supplier-pdf.server";
import { BANK_FILE_CONTENT_TYPES, bankFileQuerySchema, MAX_BANK_FILE_BYTES } from "~/features/bank-files/bank-file-import.server";
import { pauseRemindersSchema } from "~/features/reminders/api.schemas";
import { addSchema as addDeliveriesSchema } from "~/features/invoices/deliveries.server";
import { listQuerySchema as listDisputesQuerySchema, resolveSchema } from "~/features/invoices/disputes.server";
import { listQuerySchema as listSuppressionsQuerySchema } from "~/features/emails/email-suppressions.server";
import { qrImageOptionsSchema } from "~/features/payments/qr.server";
import * as out from "./responses";
import { FORMATS } from "./formats";
import { accepted, binary, body, id, json, noContent, type Operation } from "./operation";
import { customerOperations } from "~/features/customers/api.server";
import { webhookOperations } from "~/features/webhooks/api.schemas";
import { unappliedPaymentOperations } from "~/features/bank-files/api.schemas";
import { reportItemsQuerySchema } from "~/features/bank-files/bank-file-report.server";

export type { Method, Operation, Success } from "./operation";

extendZodWithOpenApi(z);

const invoiceParams = z.object({ id: id("id", "inv") });
const campaignParams = z.object({ id: id("id", "cmp") });
const IMPORT_LOCATION = "/api/v1/imports/{id} of the import: GET it until state is succeeded or failed";

const paymentAccountBody = z.union([stripeAccountSchema, adyenAccountSchema]);

/**
 * The settings are checked by the domain validators inside transforms of `unknown`, which carry
 * no JSON type; the same field schemas get their JSON types here so the document shows them.
 */
type SchemaType = "string" | "integer" | "boolean" | "object" | "array" | "null";
type FieldDoc = { type: SchemaType | SchemaType[]; [key: string]: unknown };
const nullableText: FieldDoc = { type: ["string", "null"] };
const nullable = (format: Record<string, unknown>): FieldDoc => ({ ...nullableText, ...format });
const SETTING_TYPES: Record<SettingsField, FieldDoc> = {
  name: { type: "string", example: "Leverantör AB" },
  org_number: nullable(FORMATS.orgNumber),
  vat_number: nullable(FORMATS.vatNumber),
  bankgiro: nullable(FORMATS.bankgiro),
  plusgiro: nullable(FORMATS.plusgiro),
  iban: nullable(FORMATS.iban),
  bic: nullable(FORMATS.bic),
  swish_number: nullable(FORMATS.swishNumber),
  time_zone: { type: "string", ...FORMATS.timeZone },
  language: { type: "string", enum: ["sv", "en"] },
  brand_color: nullable(FORMATS.hexColour),
  logo_url: { ...nullable(FORMATS.httpsUrl), description: "https:// only" },
  notification_email: nullable(FORMATS.email),
  contact_email: { ...nullable(FORMATS.email), description: "Shown to payers on the invoice page, for questions" },
  contact_phone: { ...nullable(FORMATS.phone), description: "Shown to payers on the invoice page, for questions" },
  reminder_policy: { type: ["object", "null"], description: "Days per step (before_due, first, second, final); null for the default" },
  reminder_fee_agreed: { type: "boolean" },
  reminder_fee: { type: ["integer", "null"], description: "Öre, at most the statutory cap" },
  payment_options: { type: "array", items: { type: "string", enum: [...PAYMENT_OPTIONS] } },
  payment_report_pause_days: { type: "integer", minimum: 1, maximum: 60 },
  pay_box_position: {
    type: ["object", "null"],
    description: "Where GET /api/v1/invoices/{id}/document?stamped=true puts the pay-now box on the first page: millimetres from a corner to the box's nearest edges, and its width. null: in the first free corner found.",
    properties: {
      corner: { type: "string", enum: [...CORNERS] },
      x_mm: { type: "number", minimum: 0, maximum: PAY_BOX_OFFSET_MAX_MM },
      y_mm: { type: "number", minimum: 0, maximum: PAY_BOX_OFFSET_MAX_MM },
      width_mm: { type: "number", minimum: PAY_BOX_WIDTH_MM.min, maximum: PAY_BOX_WIDTH_MM.max },
    },
    required: ["corner", "x_mm", "y_mm", "width_mm"],
    example: { corner: "bottom-right", x_mm: 10, y_mm: 12, width_mm: 90 },
  },
};
const supplierUpdateSchema = settingsSchema.extend(
  Object.fromEntries(
    Object.entries(settingsSchema.shape).map(([field, schema]) => [field, schema.openapi(SETTING_TYPES[field as SettingsField])]),
  ) as typeof settingsSchema.shape,
);

export const OPERATIONS: Operation[] = [
  {
    method: "get", path: "/api/v1/openapi.json", operationId: "getOpenApiDocument", tag: "Reference", auth: false,
    summary: "This OpenAPI 3.1 document",
    success: [json(200, "The document", z.record(z.unknown()))],
  },
  // ---- Invoices ----
  {
    method: "get", path: "/api/v1/invoices", operationId: "listInvoices", tag: "Invoices",
    summary: "List invoices, newest first", query: listInvoicesQuerySchema,
    success: [json(200, "A page of invoices", out.invoicePageSchema, "InvoicePage")], errors: [422],
  },
  {
    method: "post", path: "/api/v1/invoices", operationId: "createInvoice", tag: "Invoices", idempotent: true,
    summary: "Create an invoice (and its first portal link)",
    description: "Lines, VAT and totals must add up; every wrong field is reported with its path.",
    body: body(createInvoiceSchema, "InvoiceCreate", {
      number: "F-1001", currency: "SEK", issue_date: "2026-03-01", due_date: "2026-03-31",
      customer: { external_id: "K-1001", name: "Kund AB", org_number: "556036-0793", email: "ap@kund.example", language: "sv" },
      lines: [{ description: "Consulting, March", quantity: 10, unit: "h", unit_price: 95_000, vat_rate: 25, net: 950_000, vat: 237_500 }],
      total_net: 950_000, total_vat: 237_500, total: 1_187_500,
    }),
    success: [json(201, "The invoice, with `portal_url`", out.invoiceSchema, "Invoice")], errors: [409, 422],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}", operationId: "getInvoice", tag: "Invoices", params: invoiceParams,
    summary: "Get an invoice", success: [json(200, "The invoice", out.invoiceSchema, "Invoice")],
  },
  {
    method: "patch", path: "/api/v1/invoices/{id}", operationId: "updateInvoice", tag: "Invoices", params: invoiceParams,
    idempotent: true, summary: "Change an invoice the payer has not confirmed or paid",
    body: body(updateInvoiceSchema, "InvoiceUpdate", { due_date: "2026-04-15" }),
    success: [json(200, "The changed invoice", out.invoiceSchema, "Invoice")], errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/cancel", operationId: "cancelInvoice", tag: "Invoices", params: invoiceParams,
    idempotent: true, summary: "Cancel an invoice no money was received for",
    body: body(cancelInvoiceSchema, "InvoiceCancel", { reason: "Sent twice" }, false),
    success: [json(200, "The cancelled invoice", out.invoiceSchema, "Invoice")], errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/credit-notes", operationId: "createCreditNote", tag: "Invoices",
    params: invoiceParams, idempotent: true, summary: "Issue a credit note (whole invoice, or the lines given)",
    body: body(createCreditNoteSchema, "CreditNoteCreate", { number: "CN-1001", reason: "Returned goods" }),
    success: [json(201, "The credit note", out.invoiceSchema, "Invoice")], errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/invoices/import", operationId: "importInvoices", tag: "Invoices", query: importQuerySchema,
    idempotent: true, summary: "Import invoices from CSV (one row per invoice line), as a job",
    description:
      "The file is stored and imported by a job: 202 with the import, whose Location (GET /api/v1/imports/{id}) shows progress and, when done, " +
      "the report: created, skipped (numbers you have already) and each bad row. Rows are validated and written in batches of 500 invoices. " +
      "An import that created nothing (every row bad, or any row bad with `all_or_nothing`) fails, with its report. `?dry_run=true` is a job too " +
      "and reports what would be created. A retry of the same file and flags with the same Idempotency-Key answers the same import; a failed import frees its key.",
    body: {
      schema: z.string().openapi({ description: "UTF-8 CSV, comma or semicolon separated, at most 5 MB" }),
      contentTypes: ["text/csv", "application/csv"], maxBytes: CSV_IMPORT_MAX_BYTES,
      example:
        "number;customer_external_id;customer_name;currency;issue_date;due_date;description;quantity;unit_price;vat_rate\n" +
        "F-2001;K-9;Kund AB;SEK;2026-03-01;2026-03-31;Consulting;1;100;25\n",
    },
    success: [accepted("The import, queued", out.importSchema, "Import", IMPORT_LOCATION)], errors: [413, 415, 422],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/send", operationId: "sendInvoice", tag: "Invoices", params: invoiceParams,
    idempotent: true, summary: "Email the invoice notice to the billing contacts", body: body(sendInvoiceSchema, "InvoiceSend", { message: "Thank you for your order." }, false),
    success: [json(202, "The emails queued (or already sent)", out.noticeResultSchema, "InvoiceNoticeResult")],
    errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/links", operationId: "reissuePortalLink", tag: "Invoices", params: invoiceParams,
    idempotent: true, summary: "Reissue the portal link (older links stop working)",
    description: "Send an Idempotency-Key: a retry after a lost answer then gets the same link instead of revoking it for another.",
    success: [json(201, "The new link, shown once", out.portalLinkSchema, "PortalLink")], errors: [409],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/pay-link", operationId: "getPayLink", tag: "Pay-now link", params: invoiceParams,
    summary: "The printed pay-now link and its QR image URLs",
    success: [json(200, "The link, stable for the invoice's life", out.payLinkSchema, "PayLink")], errors: [409],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/pay-link/{image}", operationId: "getPayLinkQr", tag: "Pay-now link",
    params: z.object({ id: id("id", "inv"), image: z.enum(["qr.svg", "qr.png"]).openapi({ param: { name: "image", in: "path" } }) }),
    query: qrImageOptionsSchema, summary: "QR image of the pay-now link (SVG or PNG)",
    success: [binary("image/svg+xml", "SVG QR code (qr.svg)"), { ...binary("image/png", "PNG QR code (qr.png)") }],
    errors: [409, 422],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/payment-instructions", operationId: "getPaymentInstructions", tag: "Invoices",
    params: invoiceParams, summary: "Accounts, references and QR payloads to print on a PDF",
    success: [json(200, "The payment instructions", out.paymentInstructionsSchema, "PaymentInstructions")],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/qr/{kind}", operationId: "getPaymentQr", tag: "Invoices",
    params: z.object({
      id: id("id", "inv"),
      kind: z
        .enum(["swish.svg", "swish.png", "uqr.svg", "uqr.png", "epc.svg", "epc.png"])
        .openapi({ param: { name: "kind", in: "path" } }),
    }),
    query: qrImageOptionsSchema, summary: "A payment QR code: Swish, Swedish invoice QR or EPC",
    success: [binary("image/svg+xml", "SVG QR code"), binary("image/png", "PNG QR code")], errors: [422],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/pdf", operationId: "getInvoicePdf", tag: "Invoices", params: invoiceParams,
    query: invoicePdfQuerySchema, summary: "The invoice as a PDF (the portal's own copy, with the pay-now box)",
    success: [binary("application/pdf", "The PDF")], errors: [422],
  },
  {
    method: "put", path: "/api/v1/invoices/{id}/document", operationId: "uploadInvoiceDocument", tag: "Invoices",
    params: invoiceParams, summary: "Upload the invoice PDF your ERP made",
    description: "From then on the payer's page offers this document (\"Ladda ner faktura\") and the invoice notice and reminders attach it, stamped with the pay-now box. A new upload replaces the old one. The file must be a PDF that opens, not encrypted, at most 10 MB; anything else is refused (413, 415, 422) and nothing is stored.",
    body: {
      schema: z.string().openapi({ format: "binary", description: "The PDF, at most 10 MB" }),
      contentTypes: ["application/pdf"], maxBytes: MAX_SUPPLIER_PDF_BYTES, example: "%PDF-1.7 … (the file's bytes)",
    },
    success: [json(201, "Stored", out.supplierPdfSchema, "InvoiceDocument"), json(200, "Stored, replacing the earlier upload", out.supplierPdfSchema, "InvoiceDocument")],
    errors: [413, 415, 422],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/document", operationId: "getInvoiceDocument", tag: "Invoices",
    params: invoiceParams, query: supplierPdfQuerySchema, summary: "The uploaded invoice PDF, as uploaded or stamped with the pay-now box",
    description: "With stamped=true the first page carries the pay-now box (the short pay link printed in full and its QR): at the position in the supplier's pay_box_position setting, else in the first corner with nothing drawn in it (bottom right, bottom left, top right, top left), else bottom right. The Pay-Box-Placement header says which: settings, free_corner, no_free_corner, or none (a credit note or cancelled invoice has no pay link, so no box). 404 when no document was uploaded.",
    success: [binary("application/pdf", "The PDF")], errors: [422],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/events", operationId: "listInvoiceEvents", tag: "Invoices", params: invoiceParams,
    summary: "The invoice's audit log, oldest first",
    success: [json(200, "The events", out.listOf(out.eventSchema), "EventList")],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/reminders", operationId: "listInvoiceReminders", tag: "Invoices",
    params: invoiceParams, summary: "The invoice's reminders, oldest first",
    success: [json(200, "The reminders", out.listOf(out.reminderSchema), "ReminderList")],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/reminders", operationId: "sendInvoiceReminder", tag: "Invoices",
    params: invoiceParams, idempotent: true, summary: "Send the next reminder now",
    description:
      "Sends, at once and whatever the hour, the step the reminder policy would send next: the one due today, else the next step after " +
      "the last one queued (a payment reminder only once the invoice is overdue). It states the fee and interest the law and the policy " +
      "allow, goes to every billing contact, and the schedule goes on from that step. 409 with the reason when the invoice is paid, " +
      "cancelled, disputed, never sent, paused (by you or by the payer's \"I have paid\"), waiting for a queued reminder, past its final notice, not overdue yet, has " +
      "no billing address, or the reminder policy has no steps.",
    success: [json(201, "The reminder sent", out.reminderSchema, "Reminder")], errors: [409],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/reminders/pause", operationId: "pauseInvoiceReminders", tag: "Invoices",
    params: invoiceParams, idempotent: true, summary: "Pause the invoice's reminders, until a date or until resumed",
    description:
      "No reminder goes out while the pause runs; `until` is the date they may go out again (the supplier's time zone). Pausing again " +
      "replaces the pause. Apart from the payer's \"I have paid\" pause (payment_reported_until): either one holds reminders back. " +
      "409 for a paid or cancelled invoice.",
    body: body(pauseRemindersSchema, "ReminderPauseRequest", { reason: "Payment plan agreed by phone" }, false),
    success: [json(200, "The invoice, with reminder_pause", out.invoiceSchema, "Invoice")], errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/reminders/resume", operationId: "resumeInvoiceReminders", tag: "Invoices",
    params: invoiceParams, idempotent: true, summary: "Resume the invoice's reminders",
    description:
      "Ends your pause; a reminder due meanwhile goes out at the next scheduled run. The payer's \"I have paid\" pause is not ended by " +
      "this: while payment_reported_until runs, reminders_paused stays true. Resuming reminders that are not paused changes nothing.",
    success: [json(200, "The invoice", out.invoiceSchema, "Invoice")],
  },
  // ---- Deliveries and disputes ----
  {
    method: "get", path: "/api/v1/invoices/{id}/deliveries", operationId: "listDeliveries", tag: "Deliveries and disputes",
    params: invoiceParams, summary: "Deliveries of an invoice with the payer's decision",
    success: [json(200, "The deliveries", out.listOf(out.invoiceDeliverySchema), "DeliveryList")],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/deliveries", operationId: "addDeliveries", tag: "Deliveries and disputes",
    params: invoiceParams, idempotent: true, summary: "Add deliveries for the payer to approve",
    body: body(addDeliveriesSchema, "DeliveriesAdd", { deliveries: [{ description: "Pallet 1 of 2", delivered_on: "2026-03-02", location: "Gate 4" }] }),
    success: [json(201, "The deliveries added", out.listOf(out.invoiceDeliverySchema), "DeliveryList")], errors: [409, 422],
  },
  {
    method: "get", path: "/api/v1/disputes", operationId: "listDisputes", tag: "Deliveries and disputes",
    query: listDisputesQuerySchema, summary: "Problems payers reported, newest first",
    success: [json(200, "A page of disputes", out.disputePageSchema, "DisputePage")], errors: [422],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/disputes/{disputeId}/resolve", operationId: "resolveDispute",
    tag: "Deliveries and disputes", params: z.object({ id: id("id", "inv"), disputeId: id("disputeId", "dsp") }),
    idempotent: true, summary: "Accept or reject a dispute (the payer is told)", body: body(resolveSchema, "DisputeResolve", { status: "rejected", message: "Delivered as agreed; see the signed delivery note." }),
    success: [json(200, "The resolved dispute", out.disputeSchema, "Dispute")], errors: [409, 422],
  },
  // ---- Payments ----
  {
    method: "get", path: "/api/v1/payments", operationId: "listPayments", tag: "Payments", query: listPaymentsQuerySchema,
    summary: "List payments, newest first", success: [json(200, "A page of payments", out.paymentPageSchema, "PaymentPage")],
    errors: [422],
  },
  {
    method: "get", path: "/api/v1/payments/{id}", operationId: "getPayment", tag: "Payments",
    params: z.object({ id: id("id", "pay") }), summary: "Get a payment", success: [json(200, "The payment", out.paymentSchema, "Payment")],
  },
  {
    method: "get", path: "/api/v1/payments/{id}/receipt.pdf", operationId: "getPaymentReceiptPdf", tag: "Payments",
    params: z.object({ id: id("id", "pay") }), query: invoicePdfQuerySchema, summary: "The payment's receipt as a PDF",
    description:
      "The receipt the payer downloads from the invoice page: supplier, payer, invoice, amount, method, provider reference, date and receipt " +
      "number (the payment id). Only a payment that arrived (`succeeded`) has one; any other id is a 404. `lang` defaults to the customer's " +
      "language, else yours.",
    success: [binary("application/pdf", "The PDF")], errors: [422],
  },
  {
    method: "get", path: "/api/v1/invoices/{id}/payments", operationId: "listInvoicePayments", tag: "Payments",
    params: invoiceParams, query: listPaymentsQuerySchema, summary: "List an invoice's payments",
    success: [json(200, "A page of payments", out.paymentPageSchema, "PaymentPage")], errors: [422],
  },
  {
    method: "post", path: "/api/v1/invoices/{id}/payments", operationId: "recordPayment", tag: "Payments", params: invoiceParams,
    idempotent: true, summary: "Record a payment received outside the portal", body: body(recordPaymentSchema, "PaymentRecord", { amount: 50_000, currency: "SEK", method: "bank_transfer", received_at: "2026-03-14T10:00:00+01:00" }),
    success: [json(201, "The payment", out.paymentSchema, "Payment")], errors: [409, 422],
  },
  {
    method: "post", path: "/api/v1/bank-files", operationId: "importBankFile", tag: "Payments", query: bankFileQuerySchema,
    idempotent: true, summary: "Import the bank's reconciliation file (BgMax or camt.054), as a job",
    description:
      "Send the file as it came from the bank (raw body, at most 20 MB). It is stored and booked by a job: 202 with the import, whose Location " +
      "(GET /api/v1/imports/{id}) shows progress and, when done, the report. Each incoming payment whose OCR or RF reference names one of your invoices is " +
      "booked as a bank transfer; a payment naming several invoices is split by the payer's own amounts for them when they add up, else in their order, each up to its amount due, the rest on the last. " +
      "References the payer deducted (BgMax TK23, camt.054 credit notes) are never paid; a reference read from the payer's text only counts for an open invoice named exactly. " +
      "The bank's transaction id makes a re-import book nothing (`already_imported`). Unmatched, under-, over- and duplicate payments, deductions, " +
      "other currencies and cancelled invoices are listed under `flags`; what could not be booked (and the excess of an over-payment) waits under " +
      "/api/v1/unapplied-payments for you to place, refund or mark not yours. A body that is not BgMax or camt.054 is a 422 at once; a file that is invalid, " +
      "a BgMax test file, or one for another account fails the import with a 422 problem naming the line or entry, and nothing is booked. " +
      "`?dry_run=true` reports the same and keeps nothing.",
    body: {
      schema: z.string().openapi({ description: "BgMax (ISO 8859-1, text/plain) or camt.054 XML (application/xml); application/octet-stream for either. At most 20 MB" }),
      contentTypes: BANK_FILE_CONTENT_TYPES, maxBytes: MAX_BANK_FILE_BYTES,
      // A BgMax file for bankgiro 5050-1055 with one payment of 500.00 SEK, OCR 1234567897.
      example: [
        "01BGMAX               0120260320080000000000P                                   ",
        "050050501055          SEK                                                       ",
        "200000000000               1234567897000000000000050000210000000000010          ",
        "15000000000000000000000009900123456782026032000001000000000000050000SEK00000001 ",
        "7000000001000000000000000000000001                                              ",
        "",
      ].join("\r\n"),
    },
    success: [accepted("The import, queued", out.importSchema, "Import", IMPORT_LOCATION)],
    errors: [413, 415, 422],
  },
  {
    method: "get", path: "/api/v1/imports/{id}", operationId: "getImport", tag: "Imports", params: z.object({ id: id("id", "imp") }),
    summary: "An import (CSV of invoices, bank file): state, progress and, when done, its report",
    success: [json(200, "The import", out.importSchema, "Import")],
  },
  {
    method: "get", path: "/api/v1/imports/{id}/items", operationId: "listImportItems", tag: "Imports", params: z.object({ id: id("id", "imp") }),
    query: reportItemsQuerySchema,
    summary: "Every entry of an ended bank-file import's report, with its flags, a page at a time",
    description:
      "The import's report holds its counts and the first 1,000 entries and flags of each kind (`complete` says whether that is all); " +
      "this pages through every entry in file order, each with its flags in words. A dry run's entries too. 404 for an import that has not succeeded or is no bank file.",
    success: [json(200, "A page of the report's entries", out.bankFileReportPageSchema, "BankFileReportPage")], errors: [422],
  },
  ...unappliedPaymentOperations,
  {
    method: "get", path: "/api/v1/payment-accounts", operationId: "listPaymentAccounts", tag: "Payments",
    summary: "Card-payment accounts (Stripe, Adyen): hints of the keys, never the keys",
    success: [json(200, "The accounts", out.listOf(out.paymentAccountSchema), "PaymentAccountList")], errors: [503],
  },
  // PUT first, so the GET after it shows an account (the contract tests call them in this order).
  ...(["put", "get", "delete"] as const).map((method): Operation => ({
    method, path: "/api/v1/payment-accounts/{provider}", tag: "Payments",
    operationId: { get: "getPaymentAccount", put: "setPaymentAccount", delete: "removePaymentAccount" }[method],
    params: z.object({ provider: z.enum(["stripe", "adyen"]).openapi({ param: { name: "provider", in: "path" } }) }),
    summary: { get: "Get the account at one provider", put: "Create or replace the credentials", delete: "Stop offering the provider" }[method],
    ...(method === "put" ? { body: body(paymentAccountBody, "PaymentAccountSet", { secret_key: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", webhook_secret: "whsec_5f8b2c1d9e7a4b3c" }) } : {}),
    success:
      method === "delete" ? [noContent("Removed")]
      : method === "put" ? [json(200, "Replaced", out.paymentAccountSchema, "PaymentAccount"), json(201, "Created", out.paymentAccountSchema, "PaymentAccount")]
      : [json(200, "The account", out.paymentAccountSchema, "PaymentAccount")],
    errors: method === "put" ? [422, 503] : method === "get" ? [503] : [],
  })),
  ...customerOperations,
  // ---- Email suppressions ----
  {
    method: "get", path: "/api/v1/email-suppressions", operationId: "listEmailSuppressions", tag: "Email suppressions",
    query: listSuppressionsQuerySchema, summary: "Addresses that bounced or complained",
    success: [json(200, "A page of suppressions", out.suppressionPageSchema, "SuppressionPage")], errors: [422],
  },
  {
    method: "get", path: "/api/v1/email-suppressions/{address}", operationId: "getEmailSuppression", tag: "Email suppressions",
    params: z.object({ address: z.string().openapi({ param: { name: "address", in: "path" }, example: "ap@example.com" }) }),
    summary: "Why an address is suppressed", success: [json(200, "The suppression", out.suppressionSchema, "Suppression")],
  },
  {
    method: "delete", path: "/api/v1/email-suppressions/{address}", operationId: "liftEmailSuppression", tag: "Email suppressions",
    params: z.object({ address: z.string().openapi({ param: { name: "address", in: "path" }, example: "ap@example.com" }) }),
    summary: "Lift a suppression so mail goes out again", success: [noContent("Lifted")],
  },
  ...webhookOperations,
  // ---- Contact-update campaigns ----
  {
    method: "get", path: "/api/v1/campaigns", operationId: "listCampaigns", tag: "Campaigns", query: listCampaignsQuerySchema,
    summary: "List contact-update campaigns, newest first, with their counts",
    success: [json(200, "A page of campaigns", out.campaignPageSchema, "CampaignPage")], errors: [422],
  },
  {
    method: "post", path: "/api/v1/campaigns", operationId: "createCampaign", tag: "Campaigns", idempotent: true,
    summary: "Create a campaign (a draft: nothing is sent until it is started)",
    description:
      "Asks every customer in `audience` to confirm or correct its billing contacts by `deadline` (1 to 366 days after the start). " +
      "`deadline` and `start_at` take a date (the end, or start, of that day in your time zone) or a date-time with its offset.",
    body: body(createCampaignSchema, "CampaignCreate", {
      name: "Contact update 2027", audience: "all", message: "Are these still the right people to send our invoices to?", deadline: "2027-01-31",
    }),
    success: [json(201, "The campaign", out.campaignSchema, "Campaign")], errors: [422],
  },
  {
    method: "get", path: "/api/v1/campaigns/{id}", operationId: "getCampaign", tag: "Campaigns", params: campaignParams,
    query: campaignReportQuerySchema, summary: "A campaign's counts and each customer's state (paged by customer)",
    success: [json(200, "The campaign with one page of its customers", out.campaignReportSchema, "CampaignReport")], errors: [422],
  },
  {
    method: "post", path: "/api/v1/campaigns/{id}/start", operationId: "startCampaign", tag: "Campaigns", params: campaignParams,
    idempotent: true, summary: "Start a campaign: each customer gets its own link by email, once",
    description: "The emails go out through the job queue from `start_at` (or now), throttled. A campaign starts once: again is a 409.",
    success: [json(202, "The campaign, its emails being queued", out.campaignSchema, "Campaign")], errors: [409],
  },
  {
    method: "post", path: "/api/v1/campaigns/{id}/cancel", operationId: "cancelCampaign", tag: "Campaigns", params: campaignParams,
    idempotent: true, summary: "Cancel a campaign: its links stop working, nothing more is sent",
    success: [json(200, "The cancelled campaign", out.campaignSchema, "Campaign")], errors: [409],
  },
  {
    method: "get", path: "/api/v1/campaigns/{id}/answers.csv", operationId: "exportCampaignAnswers", tag: "Campaigns",
    params: campaignParams, summary: "The answers as CSV: one line per billing contact on file",
    success: [binary("text/csv", "UTF-8 CSV (with BOM), comma-separated, formula-like cells prefixed with an apostrophe")],
  },
  // ---- Supplier ----
  {
    method: "get", path: "/api/v1/supplier", operationId: "getSupplier", tag: "Supplier",
    summary: "The key's supplier settings", success: [json(200, "The settings", out.supplierSchema, "Supplier")],
  },
  {
    method: "patch", path: "/api/v1/supplier", operationId: "updateSupplier", tag: "Supplier",
    summary: "Change supplier settings (null clears an optional one)", body: body(supplierUpdateSchema, "SupplierUpdate", { brand_color: "#1a5fb4", contact_phone: "+46 8 123 456 78", payment_report_pause_days: 14 }),
    success: [json(200, "The settings", out.supplierSchema, "Supplier")], errors: [422],
  },
];
