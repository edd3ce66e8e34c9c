// What the invoice page's actions and the campaign page's answers share once their link is
// resolved (security L4): read the form within its limits, find the intent's handler, check the
// one-time submission id, validate with errors that name the field, then claim the id and apply
// the handler in one transaction, so a double submit changes nothing the second time. The page
// is then shown again (POST-redirect-GET), or the form with its errors.
import { MaxPartSizeExceededError, redirect, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { json } from "~/api/problem.server";
import type { Db, Tx } from "../../../db/client";
import { MAX_UPLOAD_BYTES } from "~/domain/upload";
import type { MessageKey } from "~/i18n";
import { claimFormSubmission } from "~/platform/forms/db/form-submissions.server";
import { echoValues, one, type FieldErrors, type FormFields, type Parsed, type Refusal } from "~/platform/forms/form-fields.server";

export type FormHandler<C, T> = {
  /** Which form on the page shows this submission's errors. */
  formKey: (fields: FormFields) => string;
  parse: (fields: FormFields, file: File | null) => Promise<Parsed<T>> | Parsed<T>;
  /** Runs inside the transaction, after the submission id is claimed. */
  apply: (context: C, value: T) => Promise<Refusal | undefined>;
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

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Carries a refusal out of the transaction, rolling back the claimed submission id with it. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super("refused");
  }
}

/** Where the browser goes after success: the same page, in the same language, saying what was done. */
function pageLocation(pagePath: string, request: Request, intent: string): string {
  const lang = new URL(request.url).searchParams.get("lang");
  const query = new URLSearchParams();
  if (lang === "sv" || lang === "en") query.set("lang", lang);
  query.set("done", intent);
  return `${pagePath}?${query}`;
}

export async function runFormAction<I extends string, C>(
  db: Db,
  action: {
    request: Request;
    /** The page to go back to, e.g. `/i/<token>`. */
    pagePath: string;
    isIntent: (value: unknown) => value is I;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own value type
    handlers: Record<I, FormHandler<C, any>>;
    /** How a body over the limit is reported in its form. */
    tooLarge: Omit<Refusal, "status">;
    /** The invoice the submission ids belong to; null on a campaign page. */
    invoiceId: string | null;
    /** The handler's context, built in the transaction after the claim (locking what it changes). */
    context: (tx: Tx, submissionId: string) => Promise<C>;
  },
): Promise<PayerActionResult> {
  const read = await readPayerForm(action.request);
  const fields = read.ok ? read.form.fields : read.fields;
  const intent = one(fields, "intent");
  const refused = (form: string, status: 409 | 413 | 422, refusal: Omit<Refusal, "status">): PayerActionResult => ({
    kind: "refused",
    status,
    data: { form, errors: refusal.errors ?? {}, formError: refusal.formError ?? null, values: echoValues(fields) },
  });
  if (!read.ok && read.status === 413) {
    return refused(action.isIntent(intent) ? action.handlers[intent].formKey(fields) : "form", 413, action.tooLarge);
  }
  if (!read.ok || !action.isIntent(intent)) return { kind: "bad_request" };
  const submissionId = one(fields, "submission_id");
  if (!SUBMISSION_ID.test(submissionId)) return { kind: "bad_request" };

  const handler = action.handlers[intent];
  const form = handler.formKey(fields);
  const parsed = await handler.parse(fields, read.form.file);
  if (!parsed.ok) {
    const { form: formError, ...errors } = parsed.errors;
    return refused(form, 422, { errors, formError });
  }
  try {
    const repeated = await db.transaction(async (tx) => {
      if (!(await claimFormSubmission(tx, { id: submissionId, invoiceId: action.invoiceId, intent }))) return true;
      const refusal = await handler.apply(await action.context(tx, submissionId), parsed.value);
      if (refusal) throw new Refused(refusal);
      return false;
    });
    return { kind: "done", location: pageLocation(action.pagePath, action.request, intent), repeated };
  } catch (error) {
    if (error instanceof Refused) return refused(form, error.refusal.status, error.refusal);
    throw error;
  }
}

/** Pages behind a bearer link (and their answers) hold its data: no shared cache may keep them. */
export const NO_STORE = { "Cache-Control": "private, no-store" };

/** Every dead link looks the same to the visitor: which check failed is only in our log. */
export function linkNotFound(): Response {
  return new Response(null, { status: 404, headers: NO_STORE });
}

type RouteLog = { info: (facts: object, message: string) => void; warn: (facts: object, message: string) => void };

/**
 * The route's answer to a form action: a 303 back to the page (a reload shows it rather than
 * posting again), the form with its errors, or a thrown 400/403/404. Logs name the link by its
 * token's short hash, never the token.
 */
export function formActionResponse(result: PayerActionResult, log: RouteLog, facts: { tokenHash: string; ip: string; request: Request }): Response {
  const { tokenHash, ip, request } = facts;
  switch (result.kind) {
    case "done":
      return redirect(result.location, { status: 303, headers: NO_STORE });
    case "refused":
      return json(result.data, result.status, NO_STORE);
    case "bad_request":
      throw new Response(null, { status: 400, headers: NO_STORE });
    case "forbidden":
      log.warn({ tokenHash, ip, origin: request.headers.get("origin") }, "cross-site POST refused");
      throw new Response(null, { status: 403, headers: NO_STORE });
    case "not_found":
      log.info({ tokenHash, ip }, "link rejected on POST");
      throw linkNotFound();
  }
}
