// The payer corrects or adds the customer's billing contacts on the portal page. Every change is
// audited with before/after, sent to the supplier (webhook) and confirmed by email to the old and
// the new address, so that a hijacked address is noticed by its rightful owner.
import { z } from "zod";
import type { Locale } from "~/i18n";
import { appendEvent } from "~/models/events.server";
import {
  CONTACT_FIELD_NAMES, contactFields, countContacts, findContactForUpdate, insertContact, listBillingContacts,
  updateContactFields, type ContactFields, type ContactRow,
} from "~/models/contacts.server";
import { queueEmail } from "~/services/email.server";
import { publishWebhookEvent } from "~/services/webhooks.server";
import {
  formObject, one, optionalEmail, optionalText, parseWith, payerAudit, type PayerActionContext, type PayerHandler,
} from "~/services/payer-forms.server";
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

function parseContact(fields: Map<string, string[]>) {
  return parseWith(contactSchema, formObject(fields, CONTACT_FORM_FIELDS));
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

async function tellEveryone(
  context: PayerActionContext,
  change: { contact: ContactRow; before: ContactFields | null; after: ContactFields; notify: (string | null)[] },
) {
  const { tx, now } = context;
  const { invoice, supplier, customer } = context.invoice;
  const diff = changes(change.before, change.after);
  const added = change.before === null;
  const type = added ? "contact.added" : "contact.updated";
  const before = change.before ? contactJson(change.before) : null;
  const after = contactJson(change.after);
  await appendEvent(tx, {
    ...payerAudit(context),
    type,
    data: { link_id: context.link.linkId, contact_id: change.contact.id, before, after, changed: diff.map((item) => item.field) },
  });
  const addresses = new Set(change.notify.filter((email): email is string => Boolean(email)).map((email) => email.toLowerCase()));
  for (const to of addresses) {
    await queueEmail(tx, {
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      customerId: customer.id,
      template: "contact-changed",
      locale: change.after.language ?? customer.language ?? supplier.language,
      to,
      // One message per change and address, however often the form is resubmitted.
      idempotencyKey: `contact:${change.contact.id}:${context.submissionId}:${to}`,
      // No portal link: the new address may not be the payer's, and the link is a bearer token.
      props: { customerName: customer.name, added, changes: diff, changedAt: now.toISOString() },
    });
  }
  await publishWebhookEvent(tx, {
    supplierId: invoice.supplierId,
    type: "contact.updated",
    payload: {
      action: added ? "added" : "updated",
      customer: { id: customer.id, name: customer.name },
      invoice_id: invoice.id,
      contact_id: change.contact.id,
      before,
      after,
      changed: diff.map((item) => item.field),
    },
  });
}

export const updateContact: PayerHandler<{ contactId: string; fields: ContactFields }> = {
  formKey: (fields) => `update-contact:${one(fields, "contact_id")}`,
  parse(fields) {
    const contactId = one(fields, "contact_id");
    if (!isPublicId("con", contactId)) return { ok: false, errors: { form: "actions.error.unknownContact" } };
    const parsed = parseContact(fields);
    return parsed.ok ? { ok: true, value: { contactId, fields: parsed.value } } : parsed;
  },
  async apply(context, { contactId, fields }) {
    const scope = { supplierId: context.link.supplierId, customerId: context.invoice.customer.id, contactId };
    const contact = await findContactForUpdate(context.tx, scope);
    if (!contact) return { status: 422, formError: "actions.error.unknownContact" };
    const before = contactFields(contact);
    // Saving an unchanged form is a success with nothing to tell anyone.
    if (changes(before, fields).length === 0) return undefined;
    const updated = await updateContactFields(context.tx, contact.id, fields, context.now);
    await tellEveryone(context, { contact: updated, before, after: fields, notify: [before.email, fields.email] });
    return undefined;
  },
};

export const addContact: PayerHandler<ContactFields> = {
  formKey: () => "add-contact",
  parse: (fields) => parseContact(fields),
  async apply(context, fields) {
    const scope = { supplierId: context.link.supplierId, customerId: context.invoice.customer.id };
    if ((await countContacts(context.tx, scope.supplierId, scope.customerId)) >= MAX_CONTACTS_PER_CUSTOMER) {
      return { status: 409, formError: "actions.error.tooManyContacts" };
    }
    const existing = await listBillingContacts(context.tx, scope.supplierId, scope.customerId);
    const contact = await insertContact(context.tx, scope, fields, context.now);
    // The contacts already on file hear of the newcomer: an added address is how invoices get diverted.
    await tellEveryone(context, {
      contact,
      before: null,
      after: fields,
      notify: [fields.email, ...existing.map((row) => row.email)],
    });
    return undefined;
  },
};
