// What every payer action on the portal page shares: the form as read, field validation with
// errors that name the field (as dictionary keys, translated when the page renders), the
// transaction context and the audit fields. Handlers live beside their subject (disputes,
// deliveries, contacts, payer-actions for confirm); none of them imports the dispatcher.
import { z, type ZodError, type ZodTypeAny } from "zod";
import type { Tx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { invoiceStatus, todayIn } from "~/domain/invoice-status";
import { checkUpload } from "~/domain/upload";
import { isCleanText, isSingleLine } from "~/domain/text";
import type { Locale, MessageKey } from "~/i18n";
import type { LockedInvoice } from "~/features/portal/db/payer-invoices.server";
import type { FormHandler } from "~/platform/forms/form-action.server";
import { one, type FieldErrors, type FormFields, type Parsed } from "~/platform/forms/form-fields.server";

// The form's own vocabulary lives with the dispatcher; the page handlers keep importing it here.
export { echoValues, one, type FieldErrors, type FormFields, type Parsed, type Refusal } from "~/platform/forms/form-fields.server";

export type PayerActionContext = {
  tx: Tx;
  config: Config;
  now: Date;
  /** The page's language: the payer's emails are written in it. */
  locale: Locale;
  link: { linkId: string; invoiceId: string; supplierId: string };
  invoice: LockedInvoice;
  origin: { ip: string | null; userAgent: string | null };
  submissionId: string;
};

/** An invoice page action; its context holds the invoice, locked. */
export type PayerHandler<T> = FormHandler<PayerActionContext, T>;

/** The fields as a plain object for zod: single values as strings, `lines` as an array. */
export function formObject(fields: FormFields, names: readonly string[], arrays: readonly string[] = []) {
  return Object.fromEntries([
    ...names.map((name) => [name, one(fields, name)] as const),
    ...arrays.map((name) => [name, fields.get(name) ?? []] as const),
  ]);
}

/** The first problem of each field, keyed by the field's form name. */
export function fieldErrors(error: ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message as MessageKey;
  }
  return errors;
}

export function parseWith<S extends ZodTypeAny>(schema: S, input: unknown): Parsed<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

// Field schemas. Messages are dictionary keys: the action does not know which words to use.
// A field is one line unless it is free text (security D5): a browser's text input cannot send a
// line break or a NUL, so these answer only crafted posts.
const lineRule = (lines: "single" | "multi"): [check: (value: string) => boolean, message: string] =>
  lines === "single" ? [isSingleLine, "actions.error.oneLine"] : [isCleanText, "actions.error.controlCharacters"];

export const optionalText = (max: number, lines: "single" | "multi" = "single") =>
  z
    .string()
    .trim()
    .max(max, "actions.error.tooLong")
    .refine(...lineRule(lines))
    .transform((value) => (value === "" ? null : value));

export const requiredText = (max: number, lines: "single" | "multi" = "single") =>
  z.string().trim().min(1, "actions.error.required").max(max, "actions.error.tooLong").refine(...lineRule(lines));

const emailFormat = z.string().email();

export const optionalEmail = z
  .string()
  .trim()
  .max(254, "actions.error.email")
  .refine((value) => value === "" || emailFormat.safeParse(value).success, "actions.error.email")
  .transform((value) => (value === "" ? null : value));

// Positions as stored (the API numbers lines from 0); the page shows people 1, 2, 3 instead.
const POSITION = /^(0|[1-9]\d{0,3})$/;

/** Invoice line positions ticked in a checkbox group; each must be a line of this invoice. */
export const linePositions = z
  .array(z.string())
  .max(500, "actions.error.lines")
  .refine((values) => values.every((value) => POSITION.test(value)), "actions.error.lines")
  .transform((values) => [...new Set(values.map(Number))].sort((a, b) => a - b));

export function unknownLines(invoice: LockedInvoice, positions: readonly number[], allowed?: readonly number[] | null) {
  const known = new Set(invoice.lines.map((line) => line.position));
  return positions.filter((position) => !known.has(position) || (allowed && !allowed.includes(position)));
}

export type Attachment = { filename: string; contentType: string; data: Buffer };

/** The optional file, checked by its bytes; an empty file input (nothing chosen) is no file. */
export async function parseAttachment(file: File | null): Promise<Parsed<Attachment | null>> {
  if (file === null || (file.size === 0 && file.name === "")) return { ok: true, value: null };
  const data = Buffer.from(await file.arrayBuffer());
  const checked = checkUpload({ bytes: data, name: file.name });
  if (checked.ok) return { ok: true, value: { filename: checked.filename, contentType: checked.contentType, data } };
  const message: Record<typeof checked.reason, MessageKey> = {
    empty: "actions.error.fileEmpty",
    too_large: "actions.error.fileTooLarge",
    unsupported_type: "actions.error.fileType",
  };
  return { ok: false, errors: { attachment: message[checked.reason] } };
}

/** Merges parse results so every wrong field is reported at once. */
export function combine<A, B>(a: Parsed<A>, b: Parsed<B>): Parsed<[A, B]> {
  if (a.ok && b.ok) return { ok: true, value: [a.value, b.value] };
  return { ok: false, errors: { ...(a.ok ? {} : a.errors), ...(b.ok ? {} : b.errors) } };
}

export function invoiceState(context: Pick<PayerActionContext, "invoice" | "now">) {
  const { invoice, supplier } = context.invoice;
  const status = invoiceStatus({
    dueDate: invoice.dueDate,
    today: todayIn(supplier.timeZone, context.now),
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    cancelledAt: invoice.cancelledAt,
    disputed: invoice.disputed,
  });
  return {
    cancelled: status.kind === "cancelled",
    settled: status.kind === "paid" || status.kind === "overpaid",
  };
}

/** The audit fields every payer event carries: which link acted, from where. */
export function payerAudit(context: PayerActionContext) {
  return {
    supplierId: context.link.supplierId,
    invoiceId: context.link.invoiceId,
    customerId: context.invoice.customer.id,
    actor: "payer" as const,
    actorId: context.link.linkId,
    ip: context.origin.ip,
    userAgent: context.origin.userAgent,
  };
}

/** Lines named in a report, as the supplier's email lists them: numbered for people, from 1. */
export function describeLines(invoice: LockedInvoice, positions: readonly number[] | null) {
  if (!positions) return [];
  return invoice.lines
    .map((line, index) => ({ position: index + 1, stored: line.position, description: line.description.slice(0, 500) }))
    .filter((line) => positions.includes(line.stored))
    .map(({ position, description }) => ({ position, description }));
}
