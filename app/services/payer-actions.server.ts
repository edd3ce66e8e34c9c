// The payer's actions on the portal page (security L3, L4): every one a POST with an intent,
// refused when cross-site, validated with errors that name the field, and idempotent under
// double submit through a one-time submission id claimed in the action's own transaction.
import {
  MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler,
} from "@remix-run/node";
import { z } from "zod";
import type { Db } from "../../db/client";
import type { Config } from "~/config.server";
import { invoiceContentHash } from "~/domain/invoice-content-hash";
import { MAX_UPLOAD_BYTES } from "~/domain/upload";
import { negotiateLocale, type MessageKey } from "~/i18n";
import { appendEvent } from "~/models/events.server";
import { hasOpenDispute } from "~/models/disputes.server";
import { claimFormSubmission } from "~/models/form-submissions.server";
import { lockInvoiceForPayer, recordConfirmation, type LockedInvoice } from "~/models/payer-invoices.server";
import { addContact, updateContact } from "~/services/contacts.server";
import { approveDelivery } from "~/services/deliveries.server";
import { reportDeliveryProblem, reportProblem } from "~/services/disputes.server";
import { queueEmail } from "~/services/email.server";
import { resolveInvoiceToken } from "~/services/links.server";
import { reportPayment } from "~/services/payment-reports.server";
import { publishWebhookEvent } from "~/services/webhooks.server";
import {
  echoValues, formObject, invoiceState, one, optionalText, parseWith, payerAudit, type FieldErrors, type FormFields,
  type PayerActionContext, type PayerHandler, type Refusal,
} from "~/services/payer-forms.server";

export const PAYER_INTENTS = [
  "confirm", "report-problem", "approve-delivery", "report-delivery-problem", "update-contact", "add-contact",
  "report-payment",
] as const;
export type PayerIntent = (typeof PAYER_INTENTS)[number];

export function isPayerIntent(value: unknown): value is PayerIntent {
  return typeof value === "string" && (PAYER_INTENTS as readonly string[]).includes(value);
}

/**
 * True for a POST a browser sent from another site (security L4). Sec-Fetch-Site, set by the
 * browser and unforgeable by pages, decides when present. Origin is checked against the public
 * base URL, except "null": browsers send that on our own same-origin POSTs because the portal
 * uses Referrer-Policy: no-referrer, so it passes only when Sec-Fetch-Site vouches for it.
 */
export function isCrossSite(header: (name: string) => string | null | undefined, publicOrigin: string): boolean {
  const site = header("sec-fetch-site") ?? null;
  if (site !== null && site !== "same-origin" && site !== "none") return true;
  const origin = header("origin") ?? null;
  if (origin === null || origin === publicOrigin) return false;
  return !(origin === "null" && site === "same-origin");
}

export function isCrossSiteRequest(request: Request, config: Pick<Config, "publicBaseUrl">): boolean {
  return isCrossSite((name) => request.headers.get(name), config.publicBaseUrl.origin);
}

const MAX_TEXT_PART_BYTES = 20_000;
/** The file plus generous room for the text fields and multipart framing. */
export const MAX_FORM_BYTES = MAX_UPLOAD_BYTES + 256 * 1024;

class BodyTooLarge extends Error {}

/** The body, cut off with an error once it passes the limit (chunked bodies have no length to check). */
function limitedBody(request: Request): ReadableStream<Uint8Array> | null {
  if (!request.body) return null;
  let seen = 0;
  return request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_FORM_BYTES) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

export type PayerForm = { fields: FormFields; file: File | null };
export type FormReadFailure = { status: 400 | 413; fields: FormFields };

function addField(fields: FormFields, name: string, value: string) {
  fields.set(name, [...(fields.get(name) ?? []), value]);
}

/**
 * Reads a urlencoded or multipart form within the limits. The text fields read before a limit
 * was hit are kept, so an oversized file is still reported in the form it came from.
 */
export async function readPayerForm(request: Request): Promise<{ ok: true; form: PayerForm } | ({ ok: false } & FormReadFailure)> {
  const fields: FormFields = new Map();
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) return { ok: false, status: 413, fields };
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const body = limitedBody(request);
  const limited = new Request(request.url, { method: "POST", headers: request.headers, body, duplex: "half" } as RequestInit);
  let file: File | null = null;
  try {
    if (type.startsWith("application/x-www-form-urlencoded")) {
      for (const [name, value] of new URLSearchParams(await limited.text())) addField(fields, name, value);
      return { ok: true, form: { fields, file } };
    }
    if (!type.startsWith("multipart/form-data")) return { ok: false, status: 400, fields };
    const handler: UploadHandler = async ({ name, filename, data }) => {
      const max = filename === undefined ? MAX_TEXT_PART_BYTES : MAX_UPLOAD_BYTES;
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > max) throw new MaxPartSizeExceededError(name, max);
        // Only the one file input is kept; other parts are read (to move on) and dropped.
        if (filename === undefined || name === "attachment") chunks.push(chunk);
      }
      if (filename === undefined) addField(fields, name, Buffer.concat(chunks).toString("utf8"));
      else if (name === "attachment" && file === null) file = new File([Buffer.concat(chunks)], filename);
      return undefined;
    };
    await unstable_parseMultipartFormData(limited, handler);
    return { ok: true, form: { fields, file } };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError || error instanceof BodyTooLarge) return { ok: false, status: 413, fields };
    if (error instanceof TypeError) return { ok: false, status: 400, fields };
    throw error;
  }
}

// ---- Confirm ----

function contentOf(locked: LockedInvoice) {
  return invoiceContentHash({ ...locked.invoice, lines: locked.lines });
}

const confirmSchema = z.object({
  name: optionalText(200),
  reference: optionalText(100),
  cost_centre: optionalText(100),
  content_hash: z.string().trim().max(100, "actions.error.changed"),
});

const confirm: PayerHandler<z.output<typeof confirmSchema>> = {
  formKey: () => "confirm",
  parse: (fields) => parseWith(confirmSchema, formObject(fields, ["name", "reference", "cost_centre", "content_hash"])),
  async apply(context, value) {
    const { tx, now } = context;
    const { invoice, supplier, customer } = context.invoice;
    const state = invoiceState(context);
    if (state.cancelled) return { status: 409, formError: "actions.error.cancelled" };
    if (state.settled) return { status: 409, formError: "actions.error.settled" };
    if (invoice.confirmedAt) return { status: 409, formError: "actions.error.alreadyConfirmed" };
    if (await hasOpenDispute(tx, { invoiceId: invoice.id, kind: "invoice" })) {
      return { status: 409, formError: "actions.error.disputeOpen" };
    }
    // The hash the page was rendered with: a confirmation is of what the payer saw, not of what
    // the invoice became since.
    const contentHash = contentOf(context.invoice);
    if (value.content_hash !== "" && value.content_hash !== contentHash) return { status: 409, formError: "actions.error.changed" };

    await recordConfirmation(tx, invoice.id, {
      at: now, by: value.name, reference: value.reference, costCentre: value.cost_centre, contentHash,
    });
    await appendEvent(tx, {
      ...payerAudit(context),
      type: "invoice.confirmed",
      data: {
        link_id: context.link.linkId,
        confirmed_by: value.name,
        reference: value.reference,
        cost_centre: value.cost_centre,
        content_hash: contentHash,
      },
    });
    if (supplier.notificationEmail) {
      await queueEmail(tx, {
        supplierId: invoice.supplierId,
        invoiceId: invoice.id,
        customerId: customer.id,
        template: "invoice-confirmed",
        locale: supplier.language,
        to: supplier.notificationEmail,
        // An invoice is confirmed once, so one message per invoice.
        idempotencyKey: `confirm:${invoice.id}:supplier`,
        props: {
          invoiceNumber: invoice.number,
          invoiceId: invoice.id,
          customerName: customer.name,
          confirmedBy: value.name,
          reference: value.reference,
          costCentre: value.cost_centre,
          confirmedAt: now.toISOString(),
        },
      });
    }
    await publishWebhookEvent(tx, {
      supplierId: invoice.supplierId,
      type: "invoice.confirmed",
      payload: {
        invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id },
        confirmed_at: now.toISOString(),
        confirmed_by: value.name,
        reference: value.reference,
        cost_centre: value.cost_centre,
        content_hash: contentHash,
      },
    });
    return undefined;
  },
};

// ---- Dispatch ----

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own value type
const HANDLERS: Record<PayerIntent, PayerHandler<any>> = {
  confirm,
  "report-problem": reportProblem,
  "approve-delivery": approveDelivery,
  "report-delivery-problem": reportDeliveryProblem,
  "update-contact": updateContact,
  "add-contact": addContact,
  "report-payment": reportPayment,
};

/** What the page gets back when an action changed nothing: which form, what is wrong, what was typed. */
export type PayerActionData = {
  form: string;
  errors: FieldErrors;
  formError: MessageKey | null;
  values: Record<string, string | string[]>;
};

export type PayerActionResult =
  | { kind: "done"; location: string; repeated: boolean }
  | { kind: "refused"; status: 409 | 413 | 422; data: PayerActionData }
  | { kind: "bad_request" }
  | { kind: "forbidden" }
  | { kind: "not_found" };

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Carries a refusal out of the transaction, rolling back the claimed submission id with it. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super("refused");
  }
}

/** Where the browser goes after success: the same page (POST-redirect-GET), in the same language. */
function pageLocation(token: string, request: Request, intent: PayerIntent): string {
  const lang = new URL(request.url).searchParams.get("lang");
  const query = new URLSearchParams();
  if (lang === "sv" || lang === "en") query.set("lang", lang);
  query.set("done", intent);
  return `/i/${token}?${query}`;
}

export type PayerActionInput = { token: string; request: Request; ip: string; userAgent: string; now?: Date };

export async function performPayerAction(
  services: { db: Db; config: Config },
  input: PayerActionInput,
): Promise<PayerActionResult> {
  const { db, config } = services;
  const { token, request } = input;
  // Before anything else: a cross-site POST learns nothing, not even whether the link works.
  if (isCrossSiteRequest(request, config)) return { kind: "forbidden" };
  const now = input.now ?? new Date();
  const resolved = await resolveInvoiceToken(db, config, token, now);
  if (!resolved.ok) return { kind: "not_found" };
  const link = resolved.link;

  const read = await readPayerForm(request);
  const fields = read.ok ? read.form.fields : read.fields;
  const intent = one(fields, "intent");
  if (!read.ok && read.status === 413) {
    const form = isPayerIntent(intent) ? HANDLERS[intent].formKey(fields) : "form";
    return { kind: "refused", status: 413, data: { form, errors: { attachment: "actions.error.fileTooLarge" }, formError: null, values: echoValues(fields) } };
  }
  if (!read.ok || !isPayerIntent(intent)) return { kind: "bad_request" };
  const submissionId = one(fields, "submission_id");
  if (!SUBMISSION_ID.test(submissionId)) return { kind: "bad_request" };

  const handler = HANDLERS[intent];
  const form = handler.formKey(fields);
  const refused = (status: 409 | 422, refusal: Omit<Refusal, "status">): PayerActionResult => ({
    kind: "refused",
    status,
    data: { form, errors: refusal.errors ?? {}, formError: refusal.formError ?? null, values: echoValues(fields) },
  });
  const parsed = await handler.parse(fields, read.form.file);
  if (!parsed.ok) {
    const { form: formError, ...errors } = parsed.errors;
    return refused(422, { errors, formError });
  }

  try {
    const repeated = await db.transaction(async (tx) => {
      if (!(await claimFormSubmission(tx, { id: submissionId, invoiceId: link.invoiceId, intent }))) return true;
      const invoice = await lockInvoiceForPayer(tx, link);
      if (!invoice) throw new Error(`invoice ${link.invoiceId} of a valid link is missing`);
      const context: PayerActionContext = {
        tx,
        config,
        now,
        locale: negotiateLocale(request, invoice.customer.language, invoice.supplier.language),
        link,
        invoice,
        origin: { ip: input.ip || null, userAgent: input.userAgent || null },
        submissionId,
      };
      const refusal = await handler.apply(context, parsed.value);
      if (refusal) throw new Refused(refusal);
      return false;
    });
    return { kind: "done", location: pageLocation(token, request, intent), repeated };
  } catch (error) {
    if (error instanceof Refused) return refused(error.refusal.status, error.refusal);
    throw error;
  }
}
