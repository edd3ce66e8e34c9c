// Request schemas of the invoices API. Strict: an unknown field is rejected with its path,
// because a typo in an ERP integration (`due_dat`) would otherwise pass silently.
import { z } from "zod";
import { requiredText as text } from "~/api/body-schemas";
import { limitParam } from "~/api/query-schemas";
import { isSupportedCurrency, SUPPORTED_CURRENCIES } from "~/domain/money";
import { validateOcr, OCR_MAX_LENGTH, OCR_MIN_LENGTH } from "~/domain/ocr";
import { validateOrgNumber } from "~/domain/identifiers";
import { isPublicId } from "~/domain/public-id";
import type { ApiInvoiceStatus } from "~/domain/invoice-status";
import { LOCALES } from "~/i18n";
import { singleLine } from "~/api/text";
import { FORMATS } from "~/api/openapi/formats";

/** An amount in minor units: floats and numeric strings are refused, never rounded or coerced. */
export const minorAmount = (what: string) =>
  z
    .number({
      required_error: `${what} is required`,
      invalid_type_error: `${what} must be a JSON number of minor units (e.g. 12550 for 125.50), not a string`,
    })
    .refine((value) => Number.isInteger(value), {
      message: `${what} must be a whole number of minor units (e.g. 12550 for 125.50), not a decimal`,
    })
    .refine((value) => !Number.isInteger(value) || Number.isSafeInteger(value), {
      message: `${what} is too large (at most ${Number.MAX_SAFE_INTEGER} minor units)`,
    });

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const calendarDate = (what: string) =>
  z
    .string({ required_error: `${what} is required`, invalid_type_error: `${what} must be a date string YYYY-MM-DD` })
    .refine(isCalendarDate, { message: `${what} must be a real calendar date as YYYY-MM-DD` })
    .openapi(FORMATS.date);

const line = z
  .object({
    description: text("description", 1000, "multi"),
    quantity: z
      .number({ required_error: "quantity is required", invalid_type_error: "quantity must be a JSON number" })
      .refine((value) => Math.abs(value) < 1e12, { message: "quantity is too large" }),
    unit: text("unit", 32).optional(),
    unit_price: minorAmount("unit_price"),
    vat_rate: z.number({
      required_error: "vat_rate is required",
      invalid_type_error: "vat_rate must be a JSON number (percent, e.g. 25)",
    }),
    net: minorAmount("net"),
    vat: minorAmount("vat"),
  })
  .strict();

const MESSAGES_FOR_OCR = {
  not_digits: "ocr must contain digits only",
  length: `ocr must have ${OCR_MIN_LENGTH} to ${OCR_MAX_LENGTH} digits`,
  check_digit: "ocr has a wrong check digit (Luhn / modulus 10)",
  length_digit: "ocr has a wrong length digit",
} as const;

const ocr = z
  .string({ invalid_type_error: "ocr must be a string of digits (leading zeros matter)" })
  .transform((value, ctx) => {
    const result = validateOcr(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: MESSAGES_FOR_OCR[result.reason] });
    return z.NEVER;
  })
  .openapi(FORMATS.ocr);

/**
 * Either a reference to an existing customer (`{ id }`) or the customer's own data keyed by the
 * supplier's `external_id` (created or updated). One object with a check, rather than a zod
 * union, so each mistake is reported at its own field instead of as "invalid input".
 */
const customer = z
  .object({
    id: singleLine(z.string({ invalid_type_error: "customer.id must be a string" }), "customer.id").optional(),
    external_id: text("customer.external_id", 128).optional(),
    name: text("customer.name", 200).optional(),
    org_number: singleLine(z.string({ invalid_type_error: "org_number must be a string" }), "customer.org_number").openapi(FORMATS.orgNumber).optional(),
    email: singleLine(
      z
        .string({ invalid_type_error: "email must be a string" })
        .trim()
        .max(254, "email must be at most 254 characters")
        .email("email is not a valid email address"),
      "customer.email",
    ).openapi(FORMATS.email).optional(),
    language: z.enum(["sv", "en"], { message: "language must be sv or en" }).optional(),
  }, { required_error: "customer is required", invalid_type_error: "customer must be an object" })
  .strict()
  .transform((value, ctx) => {
    if (value.id !== undefined) {
      for (const key of Object.keys(value) as (keyof typeof value)[]) {
        if (key !== "id" && value[key] !== undefined) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `${key} cannot be combined with id` });
        }
      }
      if (!isPublicId("cus", value.id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["id"], message: "customer.id must be a customer id (cus_…)" });
      }
      return { kind: "existing" as const, id: value.id };
    }
    if (value.external_id === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["external_id"], message: "give either customer.id or customer.external_id" });
    }
    if (value.name === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["name"], message: "customer.name is required with external_id" });
    }
    let orgNumber: string | undefined;
    if (value.org_number !== undefined) {
      const checked = validateOrgNumber(value.org_number);
      if (checked.ok) orgNumber = checked.value;
      else ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["org_number"], message: checked.message });
    }
    return {
      kind: "external" as const,
      externalId: value.external_id ?? "",
      name: value.name ?? "",
      orgNumber,
      email: value.email,
      language: value.language,
    };
  });

const currency = z
  .string({ required_error: "currency is required", invalid_type_error: "currency must be a string" })
  .refine(isSupportedCurrency, {
    message: `currency must be one of ${SUPPORTED_CURRENCIES.join(", ")}`,
  })
  .openapi(FORMATS.currency);

const lines = z
  .array(line, { required_error: "lines is required", invalid_type_error: "lines must be an array" })
  .min(1, "an invoice needs at least one line")
  .max(500, "an invoice may have at most 500 lines");

/** The amounts of an invoice, which must add up together (checkInvoiceTotals). */
const amountFields = {
  lines,
  total_net: minorAmount("total_net"),
  total_vat: minorAmount("total_vat"),
  rounding: minorAmount("rounding").optional(),
  total: minorAmount("total"),
};

/** The same, each optional: a change or a credit note gives all of them or none (amountsTogether). */
const replacedAmountFields = {
  lines: lines.optional(),
  total_net: amountFields.total_net.optional(),
  total_vat: amountFields.total_vat.optional(),
  rounding: amountFields.rounding,
  total: amountFields.total.optional(),
};

const BODY_OBJECT = { invalid_type_error: "the body must be a JSON object" } as const;

/** Issue date ≤ due date, reported on due_date; either may be absent (a partial update). */
function datesInOrder(value: { issue_date?: string; due_date?: string }, ctx: z.RefinementCtx): void {
  const { issue_date: issue, due_date: due } = value;
  // String comparison is date order for valid YYYY-MM-DD values.
  if (issue !== undefined && due !== undefined && isCalendarDate(issue) && isCalendarDate(due) && due < issue) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["due_date"], message: "due_date must not be before issue_date" });
  }
}

export const createInvoiceSchema = z
  .object(
    {
      number: text("number", 64),
      currency,
      issue_date: calendarDate("issue_date"),
      due_date: calendarDate("due_date"),
      customer,
      ...amountFields,
      ocr: ocr.optional(),
      /** Email the invoice notice to the customer's billing contacts right away. */
      send: z.boolean({ invalid_type_error: "send must be true or false" }).optional(),
    },
    BODY_OBJECT,
  )
  .strict()
  .superRefine(datesInOrder);

/** A field that exists on an invoice but cannot be changed, with the reason instead of "unknown field". */
const unchangeable = (message: string) =>
  z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      if (value !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    });

const AMOUNT_GROUP = ["lines", "total_net", "total_vat", "total"] as const;

/** Lines and totals replace each other together, so they can be checked to add up as a whole. */
function amountsTogether(value: Partial<Record<(typeof AMOUNT_GROUP)[number] | "rounding", unknown>>, ctx: z.RefinementCtx): void {
  const given = [...AMOUNT_GROUP, "rounding" as const].filter((field) => value[field] !== undefined);
  if (given.length === 0) return;
  for (const field of AMOUNT_GROUP) {
    if (value[field] === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [field],
        message: `${field} is required when changing ${given.join(", ")}: lines, total_net, total_vat and total are replaced together`,
      });
    }
  }
}

/**
 * PATCH /api/v1/invoices/:id: any of the fields create takes, except those printed as payment
 * details (ocr, currency). Lines and totals are replaced together and must add up.
 */
export const updateInvoiceSchema = z
  .object(
    {
      number: text("number", 64).optional(),
      issue_date: calendarDate("issue_date").optional(),
      due_date: calendarDate("due_date").optional(),
      customer: customer.optional(),
      ...replacedAmountFields,
      ocr: unchangeable("ocr cannot be changed: it is printed on the invoice and banks match payments by it"),
      currency: unchangeable("currency cannot be changed: cancel the invoice and create a new one"),
    },
    BODY_OBJECT,
  )
  .strict()
  .superRefine((value, ctx) => {
    datesInOrder(value, ctx);
    amountsTogether(value, ctx);
  });

export type UpdateInvoiceInput = z.output<typeof updateInvoiceSchema>;

/**
 * POST /api/v1/invoices/:id/credit-notes. Without lines, the whole invoice is credited. With
 * lines, they are the credit note's own (negative) lines and totals, checked like an invoice's.
 */
export const createCreditNoteSchema = z
  .object(
    {
      number: text("number", 64),
      issue_date: calendarDate("issue_date").optional(),
      ...replacedAmountFields,
      ocr: ocr.optional(),
      reason: text("reason", 500, "multi").optional(),
    },
    BODY_OBJECT,
  )
  .strict()
  .superRefine((value, ctx) => {
    amountsTogether(value, ctx);
    if (value.total !== undefined && Number.isSafeInteger(value.total) && value.total >= 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["total"], message: "total must be negative: a credit note reduces what is owed" });
    }
  });

export type CreateCreditNoteInput = z.output<typeof createCreditNoteSchema>;

/** POST /api/v1/invoices/:id/cancel; the body is optional. */
export const cancelInvoiceSchema = z
  .object({ reason: text("reason", 500, "multi").optional() }, BODY_OBJECT)
  .strict();

export type CreateInvoiceInput = z.output<typeof createInvoiceSchema>;
export type CustomerInput = CreateInvoiceInput["customer"];

export const API_INVOICE_STATUSES = ["open", "overdue", "paid", "cancelled"] as const satisfies readonly ApiInvoiceStatus[];

export const listInvoicesQuerySchema = z
  .object({
    customer: z
      .string()
      .refine((value) => isPublicId("cus", value), { message: "customer must be a customer id (cus_…)" })
      .optional(),
    status: z.enum(API_INVOICE_STATUSES, { message: `status must be one of ${API_INVOICE_STATUSES.join(", ")}` }).optional(),
    // Half-open ranges like the payments list (created_after ≤ t < created_before), so consecutive
    // months tile without overlap: issued_after=2026-03-01&issued_before=2026-04-01 is March.
    issued_after: calendarDate("issued_after").optional(),
    issued_before: calendarDate("issued_before").optional(),
    due_after: calendarDate("due_after").optional(),
    due_before: calendarDate("due_before").optional(),
    cursor: z.string().min(1, "cursor must not be empty").max(200, "cursor is not one this API returned").optional(),
    limit: limitParam.optional(),
  })
  .strict();

/**
 * The list query with its cross-field rule: a range whose end is not after its start matches
 * nothing, which is almost always a swapped pair, so it is refused rather than answered empty.
 * Kept apart from listInvoicesQuerySchema so that one stays a plain object (for OpenAPI).
 */
export const listInvoicesQueryChecked = listInvoicesQuerySchema.superRefine((query, context) => {
  const ranges = [["issued_after", "issued_before"], ["due_after", "due_before"]] as const;
  for (const [from, to] of ranges) {
    const start = query[from];
    const end = query[to];
    if (start && end && end <= start) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: [to], message: `${to} must be later than ${from}` });
    }
  }
});

export type ListInvoicesQuery = z.output<typeof listInvoicesQuerySchema>;

/** `GET /api/v1/invoices/:id/pdf?lang=`: the copy's language (default: the customer's, else the supplier's). */
export const invoicePdfQuerySchema = z
  .object({ lang: z.enum(LOCALES, { errorMap: () => ({ message: "must be sv or en" }) }).optional() })
  .strict();

const flag = (name: string) =>
  z.enum(["true", "false"], { message: `${name} must be true or false` }).transform((value) => value === "true").optional();

/** `GET /api/v1/invoices/:id/document?stamped=&lang=`: the box's language defaults like the PDF's. */
export const supplierPdfQuerySchema = invoicePdfQuerySchema.extend({ stamped: flag("stamped") }).strict();

/** `POST /api/v1/invoices/import?all_or_nothing=&dry_run=` */
/** The largest CSV the import reads. */
export const CSV_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export const importQuerySchema = z.object({ all_or_nothing: flag("all_or_nothing"), dry_run: flag("dry_run") }).strict();

/** `POST /api/v1/invoices/:id/send`: the optional message shown in the invoice notice. */
export const sendInvoiceSchema = z
  .object(
    {
      message: z
        .string({ invalid_type_error: "message must be a string" })
        .trim()
        .max(1000, "message may be at most 1000 characters")
        .nullish(),
    },
    { invalid_type_error: "the body must be a JSON object" },
  )
  .strict();
