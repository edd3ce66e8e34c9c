// The console's customers (/app/customers): the directory with search, one customer's page, and
// its contact changes. The changes are the API's own use cases (customers.server.ts: the same
// rules, audit events and webhooks), called with the signed-in user as the actor; the form is
// first read with the payer page's contact rules so that each refusal names its field in the
// user's language.
import type { Db } from "../../../db/client";
import type { Failure } from "~/api/problem.server";
import { apiStatus, todayIn, type ApiInvoiceStatus } from "~/domain/invoice-status";
import { validateOrgNumber } from "~/domain/identifiers";
import { isPublicId } from "~/domain/public-id";
import type { MessageKey } from "~/i18n";
import type { Actor } from "~/platform/audit/db/events.server";
import { echoValues, type FieldErrors, type FormFields } from "~/platform/forms/form-fields.server";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { findCustomer } from "~/features/customers/db/customers.server";
import { contactFields, listBillingContacts, type ContactFields } from "~/features/customers/db/contacts.server";
import {
  campaignAnswersOf, listCustomersByName, openInvoicesOf, paidInvoicesOf, searchCustomers, type CustomerInvoiceRow, type DirectoryRow,
} from "~/features/customers/db/customer-directory.server";
import { contactJson, parseContactForm } from "~/features/customers/contacts.server";
import { addCustomerContact, removeCustomerContact, updateCustomerContact } from "~/features/customers/customers.server";

export const CUSTOMER_PAGE_SIZE = 50;
/** A page shows this many of each kind of invoice; the invoice list has the rest. */
const INVOICES_SHOWN = 50;
const CAMPAIGNS_SHOWN = 20;

export type DirectoryPage = { rows: DirectoryRow[]; nextAfter: string | null; timeZone: string };

/**
 * One page of the directory. Without a search: everyone by name. With one: a part of the name, a
 * customer number exactly, or an organisation number written either way, paged by id (see
 * searchCustomers) and each page shown by name. `after` is the last id of the page before;
 * another supplier's id finds nothing and starts from the top.
 */
export async function customerDirectory(db: Db, supplierId: string, query: { search?: string; after?: string }): Promise<DirectoryPage> {
  const text = query.search?.trim().slice(0, 200) || undefined;
  const after = query.after && isPublicId("cus", query.after) ? query.after : undefined;
  const page = async () => {
    if (text) {
      const org = validateOrgNumber(text);
      const found = await searchCustomers(db, supplierId, { text, orgNumber: org.ok ? org.value : undefined, afterId: after, limit: CUSTOMER_PAGE_SIZE });
      const last = found.rows.at(-1)?.id;
      return { rows: [...found.rows].sort((a, b) => a.name.localeCompare(b.name, "sv") || (a.id < b.id ? -1 : 1)), next: found.hasMore ? last : undefined };
    }
    const from = after ? await findCustomer(db, supplierId, after) : undefined;
    const listed = await listCustomersByName(db, supplierId, { after: from && { name: from.name, id: from.id }, limit: CUSTOMER_PAGE_SIZE });
    return { rows: listed.rows, next: listed.hasMore ? listed.rows.at(-1)?.id : undefined };
  };
  const [{ rows, next }, supplier] = await Promise.all([page(), getSupplier(db, supplierId)]);
  return { rows, nextAfter: next ?? null, timeZone: supplier?.timeZone ?? "Europe/Stockholm" };
}

export type ConsoleInvoice = Omit<CustomerInvoiceRow, "cancelledAt"> & { status: ApiInvoiceStatus };

export type CustomerOverview = {
  /** The supplier's, for showing instants on its clock. */
  timeZone: string;
  customer: { id: string; name: string; externalId: string | null; orgNumber: string | null; language: "sv" | "en" | null; contactsConfirmedAt: Date | null };
  contacts: (ContactFields & { id: string; emailFailure: "bounced" | "complained" | null; emailFailingAt: Date | null })[];
  open: ConsoleInvoice[];
  paid: ConsoleInvoice[];
  campaigns: Awaited<ReturnType<typeof campaignAnswersOf>>;
};

/** Null for an unknown id and for another supplier's customer alike. */
export async function customerOverview(db: Db, supplierId: string, id: string, now: Date): Promise<CustomerOverview | null> {
  if (!isPublicId("cus", id)) return null;
  const customer = await findCustomer(db, supplierId, id);
  if (!customer) return null;
  const [supplier, contacts, open, paid, campaigns] = await Promise.all([
    getSupplier(db, supplierId),
    listBillingContacts(db, supplierId, id),
    openInvoicesOf(db, supplierId, id, INVOICES_SHOWN),
    paidInvoicesOf(db, supplierId, id, INVOICES_SHOWN),
    campaignAnswersOf(db, supplierId, id, CAMPAIGNS_SHOWN),
  ]);
  const today = todayIn(supplier?.timeZone ?? "Europe/Stockholm", now);
  const withStatus = ({ cancelledAt, ...row }: CustomerInvoiceRow): ConsoleInvoice => ({
    ...row,
    status: apiStatus({ dueDate: row.dueDate, today, total: row.total, amountPaid: row.amountPaid, cancelledAt, disputed: row.disputed }),
  });
  return {
    timeZone: supplier?.timeZone ?? "Europe/Stockholm",
    customer: {
      id: customer.id,
      name: customer.name,
      externalId: customer.externalId,
      orgNumber: customer.orgNumber,
      language: customer.language,
      contactsConfirmedAt: customer.contactsConfirmedAt,
    },
    // What the page shows and edits; the rest of the row (supplier, timestamps) stays out.
    contacts: contacts.map((row) => ({ id: row.id, ...contactFields(row), emailFailure: row.emailFailure, emailFailingAt: row.emailFailingAt })),
    open: open.map(withStatus),
    paid: paid.map(withStatus),
    campaigns,
  };
}

/** Who changes the contacts: the signed-in user, for the audit log. */
export type ContactEditor = { supplierId: string; userId: string; ip: string | null; userAgent: string | null };

export type ContactEditResult = { ok: true } | { ok: false; notFound: true } | { ok: false; notFound?: false; data: PayerActionData };

const callerOf = (editor: ContactEditor) => {
  const actor: Actor = { actor: "user", actorId: editor.userId, ip: editor.ip, userAgent: editor.userAgent };
  return { supplierId: editor.supplierId, apiKeyId: null, actor };
};

const refused = (form: string, fields: FormFields, errors: FieldErrors, formError: MessageKey | null = null): ContactEditResult => ({
  ok: false,
  data: { form, errors, formError, values: echoValues(fields) },
});

/** A failure of the API's use case after the form's own check: 404, or the contact limit. */
function fromFailure(form: string, fields: FormFields, failure: Failure): ContactEditResult {
  if (failure.problem.status === 404) return { ok: false, notFound: true };
  if (failure.problem.status === 409) return refused(form, fields, {}, "actions.error.tooManyContacts");
  // The form's own check passed, so the use case's can only fail on what it reads: say so generally.
  return refused(form, fields, {}, "console.customers.error.invalid");
}

const isOwnCustomer = async (db: Db, editor: ContactEditor, customerId: string) =>
  isPublicId("cus", customerId) && (await findCustomer(db, editor.supplierId, customerId)) !== undefined;

/** Adds a billing contact (the API's POST /customers/:id/contacts). */
export async function addContactFromConsole(db: Db, editor: ContactEditor, customerId: string, fields: FormFields): Promise<ContactEditResult> {
  // Another supplier's customer is a 404 whatever the form says.
  if (!(await isOwnCustomer(db, editor, customerId))) return { ok: false, notFound: true };
  const parsed = parseContactForm(fields);
  if (!parsed.ok) return refused("add-contact", fields, parsed.errors);
  const result = await addCustomerContact(db, { ...callerOf(editor), id: customerId, input: contactJson(parsed.value) });
  return result.ok ? { ok: true } : fromFailure("add-contact", fields, result);
}

/** Changes one contact, every field as the form shows it (the API's PATCH …/contacts/:id). */
export async function changeContactFromConsole(
  db: Db,
  editor: ContactEditor,
  customerId: string,
  contactId: string,
  fields: FormFields,
): Promise<ContactEditResult> {
  const form = `update-contact:${contactId}`;
  if (!(await isOwnCustomer(db, editor, customerId))) return { ok: false, notFound: true };
  const parsed = parseContactForm(fields);
  if (!parsed.ok) return refused(form, fields, parsed.errors);
  const result = await updateCustomerContact(db, { ...callerOf(editor), id: customerId, contactId, input: contactJson(parsed.value) });
  return result.ok ? { ok: true } : fromFailure(form, fields, result);
}

export async function removeContactFromConsole(db: Db, editor: ContactEditor, customerId: string, contactId: string): Promise<ContactEditResult> {
  const result = await removeCustomerContact(db, { ...callerOf(editor), id: customerId, contactId });
  return result.ok ? { ok: true } : { ok: false, notFound: true };
}
