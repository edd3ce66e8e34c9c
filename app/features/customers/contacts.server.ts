// The payer corrects or adds the customer's billing contacts, on an invoice's portal page or on a
// contact-update campaign's page. Every change is audited with before/after, sent to the supplier
// (webhook) and confirmed by email to the old and the new address, so that a hijacked address is
// noticed by its rightful owner.
import { z } from "zod";
import type { Tx } from "../../../db/client";
import type { Locale } from "~/i18n";
import { appendEvent } from "~/platform/audit/db/events.server";
import {
  CONTACT_FIELD_NAMES, contactFields, countContacts, findContactForUpdate, insertContact, listBillingContacts,
  updateContactFields, type ContactFields, type ContactRow,
} from "~/features/customers/db/contacts.server";
import { queueEmail } from "~/features/emails/email.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import {
  formObject, one, optionalEmail, optionalText, parseWith, type FormFields, type Parsed, type PayerActionContext,
  type PayerHandler, type Refusal,
} from "~/features/portal/payer-forms.server";
import { isPublicId } from "~/domain/public-id";

/** Beyond this a customer's contact list is abuse, not bookkeeping. */
export const MAX_CONTACTS_PER_CUSTOMER = 20;

/** Form (and API, webhook, email) names of the contact fields, snake_case like the API. */
const FORM_NAME: Record<keyof ContactFields, string> = {
  name: "name",
  email: "email",
  phone: "phone",
  invoiceReference: "invoice_reference",
  addressLine1: "address_line1",
  addressLine2: "address_line2",
  postalCode: "postal_code",
  city: "city",
  country: "country",
  language: "language",
  channel: "channel",
  peppolId: "peppol_id",
};

export const CONTACT_FORM_FIELDS = CONTACT_FIELD_NAMES.map((name) => FORM_NAME[name]);

// Permissive on purpose: people write phone numbers with spaces, dashes and brackets.
const PHONE = /^\+?\d{6,15}$/;
export const PEPPOL_ID = /^\d{4}:[A-Za-z0-9.-]{1,50}$/;
const SWEDISH_POSTAL_CODE = /^\d{3} ?\d{2}$/;
const POSTAL_CODE = /^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$/;

const emptyToNull = (value: string) => (value === "" ? null : value);

const contactSchema = z
  .object({
    name: optionalText(200),
    email: optionalEmail,
    phone: z
      .string()
      .trim()
      .max(40, "actions.error.phone")
      .refine((value) => value === "" || PHONE.test(value.replace(/[\s().-]/g, "")), "actions.error.phone")
      .transform(emptyToNull),
    invoice_reference: optionalText(100),
    address_line1: optionalText(200),
    address_line2: optionalText(200),
    postal_code: z.string().trim().max(12, "actions.error.postalCode").transform(emptyToNull),
    city: optionalText(100),
    country: z
      .string()
      .trim()
      .refine((value) => value === "" || /^[A-Za-z]{2}$/.test(value), "actions.error.country")
      .transform((value) => (value === "" ? null : value.toUpperCase())),
    language: z.enum(["", "sv", "en"], { errorMap: () => ({ message: "actions.error.language" }) }).transform(emptyToNull),
    channel: z.enum(["email", "peppol", "post"], { errorMap: () => ({ message: "actions.error.channel" }) }),
    peppol_id: z
      .string()
      .trim()
      .refine((value) => value === "" || PEPPOL_ID.test(value), "actions.error.peppolId")
      .transform(emptyToNull),
  })
  .superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (value.postal_code !== null) {
      const swedish = (value.country ?? "SE") === "SE";
      if (!(swedish ? SWEDISH_POSTAL_CODE : POSTAL_CODE).test(value.postal_code)) issue("postal_code", "actions.error.postalCode");
    }
    // Each channel needs what it delivers to.
    if (value.channel === "email" && value.email === null) issue("email", "actions.error.required");
    if (value.channel === "peppol" && value.peppol_id === null) issue("peppol_id", "actions.error.required");
    if (value.channel === "post") {
      if (value.address_line1 === null) issue("address_line1", "actions.error.required");
      if (value.postal_code === null) issue("postal_code", "actions.error.required");
      if (value.city === null) issue("city", "actions.error.required");
    }
  })
  .transform(
    (value): ContactFields => ({
      name: value.name,
      email: value.email,
      phone: value.phone,
      invoiceReference: value.invoice_reference,
      addressLine1: value.address_line1,
      addressLine2: value.address_line2,
      postalCode: value.postal_code,
      city: value.city,
      country: value.country,
      language: value.language as Locale | null,
      channel: value.channel,
      peppolId: value.peppol_id,
    }),
  );

/** A contact form's fields, checked by the portal's rules (also the API's, through addContact.parse). */
export function parseContactForm(fields: FormFields): Parsed<ContactFields> {
  return parseWith(contactSchema, formObject(fields, CONTACT_FORM_FIELDS));
}

/** The correction of one contact: which one (its id, from a hidden field) and its new fields. */
export function parseContactUpdateForm(fields: FormFields): Parsed<{ contactId: string; fields: ContactFields }> {
  const contactId = one(fields, "contact_id");
  if (!isPublicId("con", contactId)) return { ok: false, errors: { form: "actions.error.unknownContact" } };
  const parsed = parseContactForm(fields);
  return parsed.ok ? { ok: true, value: { contactId, fields: parsed.value } } : parsed;
}

/** Snake_case, as the API, webhooks and the audit log show a contact. */
export function contactJson(fields: ContactFields): Record<string, string | null> {
  return Object.fromEntries(CONTACT_FIELD_NAMES.map((name) => [FORM_NAME[name], fields[name]]));
}

function changes(before: ContactFields | null, after: ContactFields) {
  return CONTACT_FIELD_NAMES.filter((name) => (before?.[name] ?? null) !== after[name]).map((name) => ({
    field: FORM_NAME[name],
    from: before?.[name] ?? null,
    to: after[name],
  }));
}

/**
 * Whose contacts change, through which link and from where: an invoice's portal page (invoiceId
 * set) or a campaign's customer-level page (invoiceId null, campaignId set). The caller holds the
 * transaction and has locked what the change depends on.
 */
export type ContactChangeScope = {
  tx: Tx;
  now: Date;
  /** The form's one-time id: one email per change and address, however often it is resubmitted. */
  submissionId: string;
  supplier: { id: string; language: Locale };
  customer: { id: string; name: string; language: Locale | null };
  invoiceId: string | null;
  campaignId: string | null;
  linkId: string;
  origin: { ip: string | null; userAgent: string | null };
};

/** Whether the form changed anything (saving an unchanged form changes nothing), or why it was refused. */
export type ContactChangeResult = { ok: true; changed: boolean } | { ok: false; refusal: Refusal };

async function tellEveryone(
  scope: ContactChangeScope,
  change: { contact: ContactRow; before: ContactFields | null; after: ContactFields; notify: (string | null)[] },
) {
  const { tx, now, supplier, customer } = scope;
  const diff = changes(change.before, change.after);
  const added = change.before === null;
  const type = added ? "contact.added" : "contact.updated";
  const before = change.before ? contactJson(change.before) : null;
  const after = contactJson(change.after);
  // The campaign a change came through, so the supplier can tell a campaign's answers apart.
  const campaign = scope.campaignId ? { campaign_id: scope.campaignId } : {};
  await appendEvent(tx, {
    supplierId: supplier.id,
    invoiceId: scope.invoiceId,
    customerId: customer.id,
    actor: "payer",
    actorId: scope.linkId,
    ip: scope.origin.ip,
    userAgent: scope.origin.userAgent,
    type,
    data: { link_id: scope.linkId, ...campaign, contact_id: change.contact.id, before, after, changed: diff.map((item) => item.field) },
  });
  const addresses = new Set(change.notify.filter((email): email is string => Boolean(email)).map((email) => email.toLowerCase()));
  for (const to of addresses) {
    await queueEmail(tx, {
      supplierId: supplier.id,
      invoiceId: scope.invoiceId,
      customerId: customer.id,
      template: "contact-changed",
      locale: change.after.language ?? customer.language ?? supplier.language,
      to,
      // One message per change and address, however often the form is resubmitted.
      idempotencyKey: `contact:${change.contact.id}:${scope.submissionId}:${to}`,
      // No portal link: the new address may not be the payer's, and the link is a bearer token.
      props: { customerName: customer.name, added, changes: diff, changedAt: now.toISOString(), source: scope.campaignId ? "campaign" : "invoice" },
    });
  }
  await publishWebhookEvent(tx, {
    supplierId: supplier.id,
    type: "contact.updated",
    payload: {
      action: added ? "added" : "updated",
      customer: { id: customer.id, name: customer.name },
      invoice_id: scope.invoiceId,
      ...campaign,
      contact_id: change.contact.id,
      before,
      after,
      changed: diff.map((item) => item.field),
    },
  });
}

/** Corrects one of the customer's contacts; another customer's contact is refused like an unknown one. */
export async function changeContact(
  scope: ContactChangeScope,
  { contactId, fields }: { contactId: string; fields: ContactFields },
): Promise<ContactChangeResult> {
  const contact = await findContactForUpdate(scope.tx, { supplierId: scope.supplier.id, customerId: scope.customer.id, contactId });
  if (!contact) return { ok: false, refusal: { status: 422, formError: "actions.error.unknownContact" } };
  const before = contactFields(contact);
  // Saving an unchanged form is a success with nothing to tell anyone.
  if (changes(before, fields).length === 0) return { ok: true, changed: false };
  const updated = await updateContactFields(scope.tx, contact.id, fields, scope.now);
  await tellEveryone(scope, { contact: updated, before, after: fields, notify: [before.email, fields.email] });
  return { ok: true, changed: true };
}

/** Adds a billing contact, up to MAX_CONTACTS_PER_CUSTOMER. */
export async function addContactTo(scope: ContactChangeScope, fields: ContactFields): Promise<ContactChangeResult> {
  const { tx, supplier, customer } = scope;
  if ((await countContacts(tx, supplier.id, customer.id)) >= MAX_CONTACTS_PER_CUSTOMER) {
    return { ok: false, refusal: { status: 409, formError: "actions.error.tooManyContacts" } };
  }
  const existing = await listBillingContacts(tx, supplier.id, customer.id);
  const contact = await insertContact(tx, { supplierId: supplier.id, customerId: customer.id }, fields, scope.now);
  // The contacts already on file hear of the newcomer: an added address is how invoices get diverted.
  await tellEveryone(scope, { contact, before: null, after: fields, notify: [fields.email, ...existing.map((row) => row.email)] });
  return { ok: true, changed: true };
}

/** The invoice page's scope: the invoice's customer, through the invoice's link. */
function invoiceScope(context: PayerActionContext): ContactChangeScope {
  const { invoice, supplier, customer } = context.invoice;
  return {
    tx: context.tx,
    now: context.now,
    submissionId: context.submissionId,
    supplier: { id: invoice.supplierId, language: supplier.language },
    customer,
    invoiceId: invoice.id,
    campaignId: null,
    linkId: context.link.linkId,
    origin: context.origin,
  };
}

const refusalOf = (result: ContactChangeResult) => (result.ok ? undefined : result.refusal);

export const updateContact: PayerHandler<{ contactId: string; fields: ContactFields }> = {
  formKey: (fields) => `update-contact:${one(fields, "contact_id")}`,
  parse: parseContactUpdateForm,
  apply: async (context, value) => refusalOf(await changeContact(invoiceScope(context), value)),
};

export const addContact: PayerHandler<ContactFields> = {
  formKey: () => "add-contact",
  parse: parseContactForm,
  apply: async (context, fields) => refusalOf(await addContactTo(invoiceScope(context), fields)),
};
