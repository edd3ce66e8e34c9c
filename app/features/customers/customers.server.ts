// Customers and their billing contacts through the supplier's API: list, get, create, change, add
// a contact. Every change is audited (actor: the API key) and published as a webhook in the same
// transaction, so a rolled-back change leaves neither trace nor message. Results are plain data.
import type { Db, Tx } from "../../../db/client";
import {
  contactInputSchema, createCustomerSchema, customerContactJson, customerJson, listCustomersQuerySchema,
  updateCustomerSchema, type ContactJson, type CustomerJson,
} from "~/features/customers/api.server";
import { runIdempotent } from "~/api/idempotency.server";
import { conflict, fieldErrors, invalid, ProblemError, type Failure, type ProblemBody } from "~/api/problem.server";
import { t, type MessageKey } from "~/i18n";
import { isPublicId } from "~/domain/public-id";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import {
  contactFields, countContacts, deleteContact, findContactForUpdate, insertContact, listBillingContacts, updateContactFields,
} from "~/features/customers/db/contacts.server";
import {
  findCustomer, findCustomerByExternalIdForUpdate, findCustomerForUpdate, insertCustomer, insertCustomerIfAbsent,
  listBillingContactsOf, listCustomers, updateCustomerColumns, type Customer,
} from "~/features/customers/db/customers.server";
import { addContact, contactJson, MAX_CONTACTS_PER_CUSTOMER } from "~/features/customers/contacts.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { nextCursor, parseListQuery } from "~/api/cursor";

export type CustomerCaller = {
  supplierId: string;
  apiKeyId: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Who acted when it is not an API key: a console user (the audit log names them). */
  actor?: Actor;
};
type Created<T> = { ok: true; status: 201; body: T; replayed: boolean } | Failure;

const NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Customer not found." };
const CONTACT_NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Contact not found." };
const EXTERNAL_ID_TAKEN = conflict("external_id", "Another customer already has this external_id.");

const actorOf = (caller: CustomerCaller): Actor =>
  caller.actor ?? { actor: "supplier", actorId: caller.apiKeyId, ip: caller.ip ?? null, userAgent: caller.userAgent ?? null };

/** Runs a change in one transaction; a ProblemError or a lost external-id race rolls it all back. */
async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T | Failure>): Promise<T | Failure> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, problem: error.problem };
    for (let current: unknown = error; current instanceof Error; current = current.cause) {
      const pg = current as Error & { code?: string; constraint_name?: string };
      if (pg.code === "23505" && pg.constraint_name === "customers_supplier_external_id_key") {
        return { ok: false, problem: EXTERNAL_ID_TAKEN };
      }
    }
    throw error;
  }
}

// --- Idempotency-Key: a key answers its first result again (customers carry no secrets). ---

/** Claims the key (if any), runs the creation and stores its answer, all in the caller's transaction. */
async function idempotent<T>(
  tx: Tx,
  caller: CustomerCaller,
  key: { value: string | undefined; route: string; input: unknown },
  create: () => Promise<T>,
): Promise<Created<T>> {
  const keyed = { supplierId: caller.supplierId, key: key.value, route: key.route, input: key.input };
  const result = await runIdempotent(tx, keyed, async () => ({ status: 201, body: await create() }));
  return result.ok ? { ...result, status: 201 } : result;
}

// --- Reading ---

export type CustomerPage = { data: CustomerJson[]; next_cursor: string | null };


export async function listCustomersPage(
  db: Db,
  params: { supplierId: string; query: URLSearchParams },
): Promise<{ ok: true; page: CustomerPage } | Failure> {
  const parsed = parseListQuery(listCustomersQuerySchema, params.query, "cus");
  if (!parsed.ok) return parsed;
  const { query: { external_id: externalId, limit = 20 }, after } = parsed;
  const { rows, hasMore } = await listCustomers(db, params.supplierId, { externalId, after, limit });
  const contacts = await listBillingContactsOf(db, params.supplierId, rows.map((row) => row.id));
  return {
    ok: true,
    page: {
      data: rows.map((row) => customerJson(row, contacts.filter((contact) => contact.customerId === row.id))),
      next_cursor: nextCursor(rows, hasMore),
    },
  };
}

/** Undefined for an unknown id and for another supplier's customer alike (security D4). */
export async function getCustomer(db: Db, params: { supplierId: string; id: string }): Promise<CustomerJson | undefined> {
  if (!isPublicId("cus", params.id)) return undefined;
  const customer = await findCustomer(db, params.supplierId, params.id);
  return customer && customerJson(customer, await listBillingContacts(db, params.supplierId, customer.id));
}

export async function listCustomerContacts(
  db: Db,
  params: { supplierId: string; id: string },
): Promise<ContactJson[] | undefined> {
  return (await getCustomer(db, params))?.contacts;
}

// --- Changing ---

function snapshot(customer: Customer) {
  return { external_id: customer.externalId, name: customer.name, org_number: customer.orgNumber, language: customer.language };
}

async function publishCustomer(tx: Tx, caller: CustomerCaller, type: string, customer: CustomerJson, changed: string[]) {
  await publishWebhookEvent(tx, { supplierId: caller.supplierId, type, payload: { customer, changed } });
}

export async function createCustomer(
  db: Db,
  params: CustomerCaller & { input: unknown; idempotencyKey?: string },
): Promise<Created<CustomerJson>> {
  const parsed = createCustomerSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const input = parsed.data;
  const fields = { name: input.name, orgNumber: input.org_number ?? null, language: input.language ?? null };
  const key = { value: params.idempotencyKey, route: "POST /api/v1/customers", input };
  return inTransaction(db, (tx) =>
    idempotent(tx, params, key, async () => {
      const customer =
        input.external_id === undefined
          ? await insertCustomer(tx, params.supplierId, { ...fields, externalId: null })
          : await insertCustomerIfAbsent(tx, params.supplierId, input.external_id, fields);
      if (!customer) throw new ProblemError(EXTERNAL_ID_TAKEN);
      await appendEvent(tx, {
        ...actorColumns(actorOf(params)),
        supplierId: params.supplierId,
        customerId: customer.id,
        type: "customer.created",
        data: snapshot(customer),
      });
      const json = customerJson(customer, []);
      await publishCustomer(tx, params, "customer.created", json, Object.keys(snapshot(customer)));
      return json;
    }),
  );
}

export async function updateCustomer(
  db: Db,
  params: CustomerCaller & { id: string; input: unknown },
): Promise<{ ok: true; customer: CustomerJson } | Failure> {
  if (!isPublicId("cus", params.id)) return { ok: false, problem: NOT_FOUND };
  const parsed = updateCustomerSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const input = parsed.data;
  return inTransaction(db, async (tx) => {
    const before = await findCustomerForUpdate(tx, params.supplierId, params.id);
    if (!before) return { ok: false, problem: NOT_FOUND };
    const from = snapshot(before);
    const changed = (Object.keys(input) as (keyof typeof input)[]).filter((field) => input[field] !== from[field]);
    if (changed.length === 0) {
      return { ok: true, customer: customerJson(before, await listBillingContacts(tx, params.supplierId, before.id)) };
    }
    if (changed.includes("external_id") && input.external_id) {
      const holder = await findCustomerByExternalIdForUpdate(tx, params.supplierId, input.external_id);
      if (holder && holder.id !== before.id) throw new ProblemError(EXTERNAL_ID_TAKEN);
    }
    const after = await updateCustomerColumns(tx, params.supplierId, before.id, {
      ...(input.external_id !== undefined ? { externalId: input.external_id } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.org_number !== undefined ? { orgNumber: input.org_number } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
    });
    const to = snapshot(after);
    await appendEvent(tx, {
      ...actorColumns(actorOf(params)),
      supplierId: params.supplierId,
      customerId: after.id,
      type: "customer.updated",
      data: { changes: Object.fromEntries(changed.map((field) => [field, { from: from[field], to: to[field] }])) },
    });
    const customer = customerJson(after, await listBillingContacts(tx, params.supplierId, after.id));
    await publishCustomer(tx, params, "customer.updated", customer, changed);
    return { ok: true, customer };
  });
}

/** The portal's contact rules, with their messages in English for the API. */
async function parseContactInput(input: unknown) {
  const shape = contactInputSchema.safeParse(input);
  if (!shape.success) return { ok: false as const, problem: invalid(fieldErrors(shape.error)) };
  const form = new Map(Object.entries(shape.data).map(([name, value]) => [name, [value ?? ""]]));
  if (!form.get("channel")?.[0]) form.set("channel", ["email"]);
  const parsed = await addContact.parse(form, null);
  if (parsed.ok) return parsed;
  const errors = Object.entries(parsed.errors).map(([field, key]) => ({ field, message: t("en", key as MessageKey) }));
  return { ok: false as const, problem: invalid(errors) };
}

export async function addCustomerContact(
  db: Db,
  params: CustomerCaller & { id: string; input: unknown; idempotencyKey?: string; now?: Date },
): Promise<Created<ContactJson>> {
  if (!isPublicId("cus", params.id)) return { ok: false, problem: NOT_FOUND };
  const parsed = await parseContactInput(params.input);
  if (!parsed.ok) return parsed;
  const fields = parsed.value;
  const now = params.now ?? new Date();
  const key = { value: params.idempotencyKey, route: `POST /api/v1/customers/${params.id}/contacts`, input: contactJson(fields) };
  return inTransaction(db, async (tx) => {
    // The lock makes the count below true until commit: two requests cannot both add the 20th.
    const customer = await findCustomerForUpdate(tx, params.supplierId, params.id);
    if (!customer) return { ok: false, problem: NOT_FOUND };
    return idempotent(tx, params, key, async () => {
      if ((await countContacts(tx, params.supplierId, customer.id)) >= MAX_CONTACTS_PER_CUSTOMER) {
        throw new ProblemError({
          status: 409,
          title: "Conflict",
          detail: `A customer may have at most ${MAX_CONTACTS_PER_CUSTOMER} contacts.`,
        });
      }
      const contact = await insertContact(tx, { supplierId: params.supplierId, customerId: customer.id }, fields, now);
      const after = contactJson(fields);
      const changed = Object.keys(after).filter((field) => after[field] !== null);
      // Same event names and shapes as a contact the payer adds on the portal page.
      await appendEvent(tx, {
        ...actorColumns(actorOf(params)),
        supplierId: params.supplierId,
        customerId: customer.id,
        type: "contact.added",
        data: { contact_id: contact.id, before: null, after, changed },
      });
      await publishWebhookEvent(tx, {
        supplierId: params.supplierId,
        type: "contact.updated",
        payload: {
          action: "added",
          customer: { id: customer.id, name: customer.name },
          invoice_id: null,
          contact_id: contact.id,
          before: null,
          after,
          changed,
        },
      });
      return customerContactJson(contact);
    });
  });
}

/**
 * Changes some fields of one contact (`null` clears one); the result must still meet the portal's
 * contact rules. A new email address clears the contact's "failing" flag unless that address is
 * suppressed too: this is how a supplier fixes a bounced address.
 */
export async function updateCustomerContact(
  db: Db,
  params: CustomerCaller & { id: string; contactId: string; input: unknown; now?: Date },
): Promise<{ ok: true; contact: ContactJson } | Failure> {
  if (!isPublicId("cus", params.id) || !isPublicId("con", params.contactId)) return { ok: false, problem: CONTACT_NOT_FOUND };
  const shape = contactInputSchema.safeParse(params.input);
  if (!shape.success) return { ok: false, problem: invalid(fieldErrors(shape.error)) };
  const patch = Object.fromEntries(Object.entries(shape.data).filter(([, value]) => value !== undefined));
  if (Object.keys(patch).length === 0) {
    return { ok: false, problem: invalid([{ field: "(body)", message: "send at least one field to change" }]) };
  }
  const now = params.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const contact = await findContactForUpdate(tx, { supplierId: params.supplierId, customerId: params.id, contactId: params.contactId });
    const customer = contact && (await findCustomer(tx, params.supplierId, params.id));
    if (!contact || !customer) return { ok: false, problem: CONTACT_NOT_FOUND };
    const before = contactJson(contactFields(contact));
    const parsed = await parseContactInput({ ...before, ...patch });
    if (!parsed.ok) return parsed;
    const after = contactJson(parsed.value);
    const changed = Object.keys(after).filter((field) => after[field] !== before[field]);
    if (changed.length === 0) return { ok: true, contact: customerContactJson(contact) };
    const updated = await updateContactFields(tx, contact.id, parsed.value, now);
    // Same event names and shapes as a contact the payer changes on the portal page.
    await appendEvent(tx, {
      ...actorColumns(actorOf(params)),
      supplierId: params.supplierId,
      customerId: customer.id,
      type: "contact.updated",
      data: { contact_id: contact.id, before, after, changed },
    });
    await publishWebhookEvent(tx, {
      supplierId: params.supplierId,
      type: "contact.updated",
      payload: {
        action: "updated",
        customer: { id: customer.id, name: customer.name },
        invoice_id: null,
        contact_id: contact.id,
        before,
        after,
        changed,
      },
    });
    return { ok: true, contact: customerContactJson(updated) };
  });
}

/**
 * Removes one billing contact: invoices stop going to it. Audited with what was removed and
 * published like any contact change (`contact.updated`, action "removed"), in one transaction.
 */
export async function removeCustomerContact(
  db: Db,
  params: CustomerCaller & { id: string; contactId: string },
): Promise<{ ok: true } | Failure> {
  if (!isPublicId("cus", params.id) || !isPublicId("con", params.contactId)) return { ok: false, problem: CONTACT_NOT_FOUND };
  return inTransaction(db, async (tx) => {
    const contact = await findContactForUpdate(tx, { supplierId: params.supplierId, customerId: params.id, contactId: params.contactId });
    const customer = contact && (await findCustomer(tx, params.supplierId, params.id));
    if (!contact || !customer) return { ok: false, problem: CONTACT_NOT_FOUND };
    const before = contactJson(contactFields(contact));
    await deleteContact(tx, params.supplierId, contact.id);
    await appendEvent(tx, {
      ...actorColumns(actorOf(params)),
      supplierId: params.supplierId,
      customerId: customer.id,
      type: "contact.removed",
      data: { contact_id: contact.id, before, after: null, changed: Object.keys(before) },
    });
    await publishWebhookEvent(tx, {
      supplierId: params.supplierId,
      type: "contact.updated",
      payload: { action: "removed", customer: { id: customer.id, name: customer.name }, invoice_id: null, contact_id: contact.id, before, after: null, changed: [] },
    });
    return { ok: true };
  });
}
