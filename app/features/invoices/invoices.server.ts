// Invoice use cases for the API, the demo seed and (later) CSV import: callable without HTTP.
// Results are plain data; the routes turn them into responses.
import type { Db, DbOrTx, Tx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { listInvoicesQueryChecked, type CreateInvoiceInput, type CustomerInput } from "~/features/invoices/api.schemas";
import { invoiceJson, type InvoiceJson } from "~/features/invoices/api.json.server";
import {
  conflict, invalid, ProblemError, uniqueViolation, type Failure, type ProblemBody,
} from "~/api/problem.server";
import { todayIn } from "~/domain/invoice-status";
import { isPublicId, newPublicId } from "~/domain/public-id";
import { appendEvent, listInvoiceEvents, type EventRow, type NewEvent } from "~/platform/audit/db/events.server";
import { getSupplier, type Supplier } from "~/features/suppliers/db/suppliers.server";
import {
  findApiInvoice, insertApiInvoice, invoiceExists, listApiInvoices, type ApiInvoiceRow, type NewInvoice, type NewInvoiceLine,
} from "~/features/invoices/db/invoices.server";
import {
  findCustomer, findCustomerByExternalIdForUpdate, hasBillingContactWithEmail, insertBillingContact,
  insertCustomerIfAbsent, updateCustomer, type Customer, type CustomerFields,
} from "~/features/customers/db/customers.server";
import { sendInvoiceNotice } from "~/features/invoices/invoice-notice.server";
import { newInvoiceLink, recordInvoiceLink, reissueInvoiceLink, type IssuedLink } from "~/features/links/links.server";
import { newInvoicePayCode } from "~/features/links/pay-links.server";
import { runIdempotent } from "~/api/idempotency.server";
import { nextCursor, parseListQuery } from "~/api/cursor";

export type InvoiceConfig = Pick<Config, "linkKeys" | "linkMaxAgeDays" | "publicBaseUrl">;

export type CreateInvoiceParams = {
  supplierId: string;
  /** The API key that acted; null for operator tools such as the demo seed. */
  apiKeyId: string | null;
  input: unknown;
  idempotencyKey?: string;
  origin?: { ip?: string; userAgent?: string };
  now?: Date;
};

export type CreateInvoiceResult = { ok: true; status: 201; invoice: InvoiceJson; replayed: boolean } | Failure;

// Checked without a database (and in the CSV import's checking thread): see invoice-input.server.
export { totalsProblem, validateInvoiceInput } from "~/features/invoices/invoice-input.server";
import { validateInvoiceInput } from "~/features/invoices/invoice-input.server";

async function requireSupplier(db: Db | Tx, supplierId: string): Promise<Supplier> {
  const supplier = await getSupplier(db, supplierId);
  if (!supplier) throw new Error(`supplier ${supplierId} not found`);
  return supplier;
}

const CONFLICTS: Record<string, ProblemBody> = {
  invoices_supplier_number_key: conflict("number", "An invoice with this number already exists."),
  invoices_supplier_ocr_key: conflict("ocr", "Another invoice already has this OCR reference."),
};

/** The problem for a concurrent request that took the number or OCR between our check and our write. */
export function knownConflict(error: unknown): ProblemBody | undefined {
  const constraint = uniqueViolation(error);
  return constraint === undefined ? undefined : CONFLICTS[constraint];
}

/** A ProblemError or a lost number/OCR race as the request's answer; anything else is rethrown. */
export function invoiceFailure(error: unknown): Failure {
  if (error instanceof ProblemError) return { ok: false, problem: error.problem };
  const known = knownConflict(error);
  if (known) return { ok: false, problem: known };
  throw error;
}

const NOTICE_REFUSED = {
  not_found: "the invoice was not found",
  cancelled: "a cancelled invoice cannot be sent",
  credit_note: "a credit note is not sent as an invoice to pay",
  no_recipient: "the customer has no billing contact with an email address (give customer.email)",
} as const;

/** Who changes an invoice: an API key ("supplier") or a console user ("user"). */
export type Actor = { actor: "supplier" | "user"; actorId: string | null; ip: string | null; userAgent: string | null };

type ExternalCustomerInput = Extract<CustomerInput, { kind: "external" }>;

/** The fields an external-id customer input sets: only those given, so an omitted one keeps its value. */
export function customerFieldsOf(input: ExternalCustomerInput): CustomerFields {
  const fields: CustomerFields = { name: input.name };
  if (input.orgNumber !== undefined) fields.orgNumber = input.orgNumber;
  if (input.language !== undefined) fields.language = input.language;
  return fields;
}

/** The given fields that differ from the row: what the update writes and "customer.updated" records. */
export function changedCustomerFields(current: Customer, fields: CustomerFields): (keyof CustomerFields)[] {
  return (Object.keys(fields) as (keyof CustomerFields)[]).filter((key) => fields[key] !== current[key]);
}

// The events of resolving a customer, built in one place for createInvoice and the import's batches.
export const customerCreatedEvent = (actor: Actor, supplierId: string, externalId: string, customer: Customer): NewEvent => ({
  ...actor,
  supplierId,
  customerId: customer.id,
  type: "customer.created",
  data: { external_id: externalId, name: customer.name, org_number: customer.orgNumber, language: customer.language },
});

export const customerUpdatedEvent = (
  actor: Actor, supplierId: string, before: Customer, after: Customer, changed: (keyof CustomerFields)[],
): NewEvent => ({
  ...actor,
  supplierId,
  customerId: after.id,
  type: "customer.updated",
  data: { changes: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])) },
});

export const contactCreatedEvent = (actor: Actor, supplierId: string, customerId: string, contactId: string, email: string): NewEvent => ({
  ...actor,
  supplierId,
  customerId,
  type: "contact.created",
  data: { contact_id: contactId, email, billing: true },
});

/**
 * The invoice's customer: an existing one by id, or created/updated by the supplier's external
 * id. A given email becomes a billing contact unless the customer already has it.
 * The import's batches apply the same rules to many invoices (invoice-batch.server.ts).
 */
export async function resolveCustomer(tx: Tx, supplierId: string, input: CustomerInput, actor: Actor): Promise<Customer> {
  if (input.kind === "existing") {
    const customer = await findCustomer(tx, supplierId, input.id);
    if (!customer) throw new ProblemError(UNKNOWN_CUSTOMER);
    return customer;
  }
  const fields = customerFieldsOf(input);

  let customer = await findCustomerByExternalIdForUpdate(tx, supplierId, input.externalId);
  if (!customer) {
    customer = await insertCustomerIfAbsent(tx, supplierId, input.externalId, fields);
    if (customer) {
      await appendEvent(tx, customerCreatedEvent(actor, supplierId, input.externalId, customer));
    } else {
      // Created by a concurrent request since we looked: update that one instead.
      customer = await findCustomerByExternalIdForUpdate(tx, supplierId, input.externalId);
      if (!customer) throw new Error("customer vanished after a conflicting insert");
    }
  }
  const before = customer;
  const changed = changedCustomerFields(before, fields);
  if (changed.length > 0) {
    customer = await updateCustomer(tx, supplierId, customer.id, fields);
    await appendEvent(tx, customerUpdatedEvent(actor, supplierId, before, customer, changed));
  }
  if (input.email !== undefined && !(await hasBillingContactWithEmail(tx, supplierId, customer.id, input.email))) {
    const contactId = await insertBillingContact(tx, {
      supplierId,
      customerId: customer.id,
      email: input.email,
      language: customer.language,
    });
    await appendEvent(tx, contactCreatedEvent(actor, supplierId, customer.id, contactId, input.email));
  }
  return customer;
}

export const UNKNOWN_CUSTOMER = invalid([{ field: "customer.id", message: "no customer with this id" }]);

export const OCR_TAKEN = CONFLICTS.invoices_supplier_ocr_key!;

/** What an invoice row is made of, as the API gives it (a credit note's amounts are negative). */
export type InvoiceFields = Pick<
  CreateInvoiceInput,
  "number" | "currency" | "issue_date" | "due_date" | "lines" | "total_net" | "total_vat" | "rounding" | "total" | "ocr"
>;

/** What a unique index refused, as the request's answer. */
const TAKEN: Record<"number" | "ocr", ProblemBody> = { number: CONFLICTS.invoices_supplier_number_key!, ocr: OCR_TAKEN };

/**
 * The insert path of invoices and credit notes, inside the caller's transaction: the rows (the
 * number and OCR checked by their unique indexes), the first portal link, the pay code and the
 * "link.issued" and "invoice.created" events; the invoice as the API shows it, but its customer.
 */
export async function insertInvoiceWithLink(
  tx: Tx,
  config: InvoiceConfig,
  params: { supplierId: string; customerId: string; actor: Actor; now: Date; fields: InvoiceFields; creditsInvoiceId?: string },
): Promise<{ id: string; ocr: string; link: IssuedLink; row: Omit<ApiInvoiceRow, "customer"> }> {
  const { supplierId, customerId, actor, now, fields: input, creditsInvoiceId } = params;
  const id = newPublicId("inv");
  const row = { id, supplierId, customerId, now, fields: input, ocr: "", creditsInvoiceId: creditsInvoiceId ?? null };
  // The pay link is recorded now, so the payer's PDF download (which writes nothing) can print it.
  const { ocr: _unset, ...invoice } = { ...invoiceRow(row), ...newInvoicePayCode(config, { id, total: input.total }) };
  const inserted = await insertApiInvoice(tx, invoice, lineRows(input.lines), input.ocr);
  if (!inserted.ok) throw new ProblemError(TAKEN[inserted.taken]);
  const ocr = inserted.row.ocr;
  const link = newInvoiceLink(config, { id, supplierId, linkVersion: 1 }, { ...actor, reason: "created" }, now);
  await recordInvoiceLink(tx, link, [invoiceCreatedEvent(actor, { ...row, ocr })]);
  return { id, ocr, link: link.issued, row: inserted.row };
}

type InvoiceRowParams = {
  id: string; supplierId: string; customerId: string; now: Date; fields: InvoiceFields; ocr: string; creditsInvoiceId: string | null;
};

/** The invoice row of a checked input; shared with the import's batches. */
export function invoiceRow(params: InvoiceRowParams): NewInvoice {
  const { fields: input, now } = params;
  return {
    id: params.id,
    supplierId: params.supplierId,
    customerId: params.customerId,
    number: input.number,
    currency: input.currency,
    issueDate: input.issue_date,
    dueDate: input.due_date,
    totalNet: input.total_net,
    totalVat: input.total_vat,
    rounding: input.rounding ?? 0,
    total: input.total,
    ocr: params.ocr,
    linkVersion: 1,
    creditsInvoiceId: params.creditsInvoiceId,
    createdAt: now,
    updatedAt: now,
  };
}

export function invoiceCreatedEvent(actor: Actor, params: InvoiceRowParams): NewEvent {
  const { fields: input, creditsInvoiceId } = params;
  return {
    ...actor,
    supplierId: params.supplierId,
    invoiceId: params.id,
    customerId: params.customerId,
    type: "invoice.created",
    data: {
      number: input.number,
      currency: input.currency,
      total: input.total,
      ocr: params.ocr,
      customer_id: params.customerId,
      ...(creditsInvoiceId === null ? {} : { credits_invoice_id: creditsInvoiceId }),
    },
  };
}

/** API lines as rows, in the order given. */
export function lineRows(lines: CreateInvoiceInput["lines"]): NewInvoiceLine[] {
  return lines.map((line, position) => ({
    position,
    description: line.description,
    quantity: String(line.quantity),
    unit: line.unit ?? null,
    unitPrice: line.unit_price,
    vatRate: String(line.vat_rate),
    net: line.net,
    vat: line.vat,
  }));
}

export async function createInvoice(db: DbOrTx, config: InvoiceConfig, params: CreateInvoiceParams): Promise<CreateInvoiceResult> {
  const { supplierId, apiKeyId, idempotencyKey } = params;
  const now = params.now ?? new Date();
  const validated = validateInvoiceInput(params.input);
  if (!validated.ok) return validated;
  const input = validated.value;
  const actor: Actor = { actor: "supplier", actorId: apiKeyId, ip: params.origin?.ip ?? null, userAgent: params.origin?.userAgent ?? null };
  // The answer holds the new portal link, so its stored copy is sealed.
  const keyed = { supplierId, key: idempotencyKey, route: "POST /api/v1/invoices", input, sealWith: config.linkKeys };

  try {
    const result = await db.transaction((tx) => runIdempotent(tx, keyed, async () => {
      const supplier = await requireSupplier(tx, supplierId);
      const customer = await resolveCustomer(tx, supplierId, input.customer, actor);
      const { id, link, row } = await insertInvoiceWithLink(tx, config, { supplierId, customerId: customer.id, actor, now, fields: input });
      const created = { ...row, customer: { id: customer.id, externalId: customer.externalId, name: customer.name, contactsConfirmedAt: customer.contactsConfirmedAt } };
      if (input.send) {
        const notice = await sendInvoiceNotice(tx, { supplierId, invoiceId: id, actor });
        if (!notice.ok) throw new ProblemError(invalid([{ field: "send", message: NOTICE_REFUSED[notice.reason] }]));
      }
      // Sending changes the delivery status: read that back; otherwise the rows just written are the answer.
      const answer = input.send ? await findApiInvoice(tx, supplierId, id) : created;
      return { status: 201, body: invoiceJson(answer!, supplier.timeZone, now, link.url) };
    }));
    return result.ok ? { ok: true, status: 201, invoice: result.body, replayed: result.replayed } : result;
  } catch (error) {
    return invoiceFailure(error);
  }
}

export async function getInvoice(
  db: Db,
  params: { supplierId: string; id: string; now?: Date },
): Promise<InvoiceJson | undefined> {
  if (!isPublicId("inv", params.id)) return undefined;
  const [supplier, row] = await Promise.all([
    requireSupplier(db, params.supplierId),
    findApiInvoice(db, params.supplierId, params.id),
  ]);
  return row && invoiceJson(row, supplier.timeZone, params.now ?? new Date());
}

export type InvoicePage = { data: InvoiceJson[]; next_cursor: string | null };


export async function listInvoices(
  db: Db,
  params: { supplierId: string; query: URLSearchParams; now?: Date },
): Promise<{ ok: true; page: InvoicePage } | Failure> {
  const parsed = parseListQuery(listInvoicesQueryChecked, params.query, "inv");
  if (!parsed.ok) return parsed;
  const { query, after } = parsed;
  const now = params.now ?? new Date();
  const supplier = await requireSupplier(db, params.supplierId);
  const { rows, hasMore } = await listApiInvoices(db, params.supplierId, {
    customerId: query.customer,
    status: query.status,
    issuedFrom: query.issued_after,
    issuedBefore: query.issued_before,
    dueFrom: query.due_after,
    dueBefore: query.due_before,
    today: todayIn(supplier.timeZone, now),
    after,
    limit: query.limit ?? 20,
  });
  return { ok: true, page: { data: rows.map((row) => invoiceJson(row, supplier.timeZone, now)), next_cursor: nextCursor(rows, hasMore) } };
}

export type ReissuedLink = { portal_url: string; expires_at: string };

const INVOICE_NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Invoice not found." };

/**
 * A new link for the invoice; older links stop working. A 404 when the supplier has no such
 * invoice. Each call revokes the link before it, so a retry after a lost answer would revoke the
 * only working link nobody has seen: with an Idempotency-Key the retry answers the first link
 * again instead, from the stored answer sealed like createInvoice's (the URL is a bearer token).
 */
export async function reissueLink(
  db: Db,
  config: InvoiceConfig,
  params: { supplierId: string; apiKeyId: string | null; invoiceId: string; idempotencyKey?: string; actor?: Actor },
): Promise<{ ok: true; link: ReissuedLink; replayed: boolean } | Failure> {
  const { supplierId, invoiceId } = params;
  if (!isPublicId("inv", invoiceId)) return { ok: false, problem: INVOICE_NOT_FOUND };
  const keyed = {
    supplierId,
    key: params.idempotencyKey,
    route: `POST /api/v1/invoices/${invoiceId}/links`,
    input: null,
    sealWith: config.linkKeys,
  };
  try {
    const result = await db.transaction((tx) => runIdempotent(tx, keyed, async () => {
      if (!(await invoiceExists(tx, supplierId, invoiceId))) throw new ProblemError(INVOICE_NOT_FOUND);
      const link = await reissueInvoiceLink(tx, config, { id: invoiceId, supplierId }, params.actor ?? { actor: "supplier", actorId: params.apiKeyId });
      const body: ReissuedLink = { portal_url: link.url, expires_at: link.expiresAt.toISOString() };
      return { status: 201, body };
    }));
    return result.ok ? { ok: true, link: result.body, replayed: result.replayed } : result;
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** Whether `id` names one of this supplier's invoices (another supplier's reads as unknown). */
export async function isOwnInvoice(db: DbOrTx, supplierId: string, id: string): Promise<boolean> {
  return isPublicId("inv", id) && (await invoiceExists(db, supplierId, id));
}

/** The invoice's timeline, oldest first; null when it is not this supplier's invoice. */
export async function invoiceTimeline(db: DbOrTx, supplierId: string, id: string): Promise<EventRow[] | null> {
  return (await isOwnInvoice(db, supplierId, id)) ? listInvoiceEvents(db, supplierId, id) : null;
}
