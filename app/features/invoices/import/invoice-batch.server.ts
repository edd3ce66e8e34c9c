// Many invoices in one transaction with a handful of statements, for the CSV import (issue #6:
// ≥ 500 invoices/s). The rules are createInvoice's, reused rather than copied: the caller has
// validated each input with validateInvoiceInput; customers are resolved by customerFieldsOf /
// changedCustomerFields with the same events; OCR references by allocateOcrs, the batch form of
// insertApiInvoice's references and of a given reference's check; rows and "invoice.created" by
// invoiceRow and invoiceCreatedEvent. Invoices are planned in file order as if each were written before the next
// is looked at, so a customer created by one invoice is found by the next.
//
// No first portal link is issued here. createInvoice issues one because its answer carries the URL;
// the import's report carries none, and only a hash of a link's random secret is stored, so a link
// made here could never be opened by anyone. Every way to reach the portal issues its own link
// when needed: emails (issueEmailLink), the printed pay link (issueDerivedLink) and
// POST /api/v1/invoices/{id}/links; nothing looks for a link row the invoice was created with.
import type { Tx } from "../../../../db/client";
import type { CreateInvoiceInput } from "~/features/invoices/api.schemas";
import { newPublicId } from "~/domain/public-id";
import { appendEvents, type NewEvent } from "~/platform/audit/db/events.server";
import { allocateOcrs, insertInvoices } from "~/features/invoices/db/invoices.server";
import {
  billingEmailsOf, findCustomersByExternalIdsForUpdate, findCustomersByIds, insertBillingContacts,
  insertCustomersIfAbsent, updateCustomersFields, type Customer,
} from "~/features/customers/db/customers.server";
import {
  changedCustomerFields, contactCreatedEvent, customerCreatedEvent, customerFieldsOf, customerUpdatedEvent,
  invoiceCreatedEvent, invoiceRow, lineRows, OCR_TAKEN, UNKNOWN_CUSTOMER, type Actor,
} from "~/features/invoices/invoices.server";
import type { ProblemBody } from "~/api/problem.server";

export type BatchResult =
  | { ok: true; ids: string[] }
  /** The first invoice (index into the batch) that cannot be created; nothing was written. */
  | { ok: false; index: number; problem: ProblemBody };

/**
 * Thrown when another transaction created one of the batch's customers meanwhile; a unique
 * violation of an invoice number or OCR surfaces as PostgreSQL's own error. Either way the
 * caller rolls the batch back and creates its invoices one by one, which reports each row.
 */
export class BatchConflict extends Error {}

type Params = { supplierId: string; actor: Actor; now: Date; invoices: readonly CreateInvoiceInput[] };

/**
 * Creates every invoice of the batch, or, when one of them cannot be created (an unknown customer
 * id, a given OCR another invoice has), writes nothing and names the first such invoice.
 * Callers that want the others created drop it and call again.
 */
export async function createInvoiceBatch(tx: Tx, params: Params): Promise<BatchResult> {
  const { supplierId, actor, now, invoices } = params;
  if (invoices.some((input) => input.send)) throw new Error("createInvoiceBatch does not send invoices; use createInvoice");
  const externalIds = new Set<string>();
  const withEmail = new Set<string>();
  const customerIds = new Set<string>();
  for (const { customer } of invoices) {
    if (customer.kind === "existing") customerIds.add(customer.id);
    else externalIds.add(customer.externalId);
    if (customer.kind === "external" && customer.email !== undefined) withEmail.add(customer.externalId);
  }
  const byExternalId = new Map<string, Customer>();
  for (const customer of await findCustomersByExternalIdsForUpdate(tx, supplierId, [...externalIds])) {
    byExternalId.set(customer.externalId!, customer);
  }
  const byId = new Map((await findCustomersByIds(tx, supplierId, [...customerIds])).map((customer) => [customer.id, customer]));
  const unknown = invoices.findIndex((input) => input.customer.kind === "existing" && !byId.has(input.customer.id));
  if (unknown !== -1) return { ok: false, index: unknown, problem: UNKNOWN_CUSTOMER };

  const ocrs = await allocateOcrs(tx, supplierId, invoices);
  const taken = ocrs.indexOf(null);
  if (taken !== -1) return { ok: false, index: taken, problem: OCR_TAKEN };

  // Only customers given an email can gain a contact; only theirs are looked up.
  const asked = [...withEmail].flatMap((externalId) => byExternalId.get(externalId)?.id ?? []);
  const billingEmails = new Set((await billingEmailsOf(tx, supplierId, asked)).map((row) => `${row.customerId}\n${row.email}`));

  const created = new Set<string>();
  const updated = new Set<string>();
  const contacts: Parameters<typeof insertBillingContacts>[1][number][] = [];
  const events: NewEvent[] = [];
  const rows: Parameters<typeof insertInvoices>[1][number][] = [];
  const ids: string[] = [];

  for (const [index, input] of invoices.entries()) {
    let customer: Customer;
    if (input.customer.kind === "existing") {
      customer = byId.get(input.customer.id)!;
    } else {
      const { externalId, email } = input.customer;
      const fields = customerFieldsOf(input.customer);
      let current = byExternalId.get(externalId);
      if (!current) {
        current = newCustomer(supplierId, externalId, fields, now);
        created.add(current.id);
        events.push(customerCreatedEvent(actor, supplierId, externalId, current));
      }
      const changed = changedCustomerFields(current, fields);
      if (changed.length > 0) {
        const after: Customer = { ...current, ...fields, updatedAt: now };
        if (!created.has(current.id)) updated.add(current.id);
        events.push(customerUpdatedEvent(actor, supplierId, current, after, changed));
        current = after;
      }
      byExternalId.set(externalId, current);
      customer = current;
      // Addresses are ASCII (the schema's email check), so toLowerCase matches PostgreSQL's lower().
      if (email !== undefined && !billingEmails.has(`${customer.id}\n${email.toLowerCase()}`)) {
        const contactId = newPublicId("con");
        contacts.push({ id: contactId, supplierId, customerId: customer.id, email, language: customer.language });
        billingEmails.add(`${customer.id}\n${email.toLowerCase()}`);
        events.push(contactCreatedEvent(actor, supplierId, customer.id, contactId, email));
      }
    }
    const id = newPublicId("inv");
    const row = { id, supplierId, customerId: customer.id, now, fields: input, ocr: ocrs[index]!, creditsInvoiceId: null };
    rows.push({ invoice: invoiceRow(row), lines: lineRows(input.lines) });
    events.push(invoiceCreatedEvent(actor, row));
    ids.push(id);
  }

  const finalCustomers = [...byExternalId.values()];
  // Inserted with their final fields; created_at and updated_at from the database, as insertCustomerIfAbsent does.
  const inserts = finalCustomers
    .filter((customer) => created.has(customer.id))
    .map(({ id, externalId, name, orgNumber, language }) => ({ id, supplierId, externalId, name, orgNumber, language }));
  if ((await insertCustomersIfAbsent(tx, inserts)) !== inserts.length) throw new BatchConflict("a customer was created meanwhile");
  await updateCustomersFields(tx, supplierId, finalCustomers.filter((customer) => updated.has(customer.id)));
  await insertBillingContacts(tx, contacts);
  await insertInvoices(tx, rows);
  await appendEvents(tx, events);
  return { ok: true, ids };
}

/** The row insertCustomerIfAbsent would return: unset columns as their defaults. */
function newCustomer(supplierId: string, externalId: string, fields: ReturnType<typeof customerFieldsOf>, now: Date): Customer {
  return {
    id: newPublicId("cus"),
    supplierId,
    externalId,
    name: fields.name,
    orgNumber: fields.orgNumber ?? null,
    language: fields.language ?? null,
    contactsConfirmedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}
