// Customers and their billing contacts as the API takes and shows them: strict request schemas
// (an unknown field is reported at its path, as in the invoices API) and snake_case JSON.
import { z } from "zod";
import { FORMATS } from "~/api/openapi/formats";
import { body as bodyOf, exampleOf, id, instant, json, list, nullableString, page, type Operation } from "~/api/openapi/operation";
import { requiredText as text } from "~/api/body-schemas";
import { limitParam } from "~/api/query-schemas";
import { singleLine } from "~/api/text";
import { validateOrgNumber } from "~/domain/identifiers";
import { contactFields, type ContactRow } from "~/features/customers/db/contacts.server";
import type { Customer } from "~/features/customers/db/customers.server";
import { contactJson, CONTACT_FORM_FIELDS } from "~/features/customers/contacts.server";

const externalId = text("external_id", 128);
const name = text("name", 200);
const language = z.enum(["sv", "en"], { message: "language must be sv or en" });

/** Stored as NNNNNN-NNNN whichever way it was written, so lookups and the PDF agree. */
const orgNumber = singleLine(z.string({ invalid_type_error: "org_number must be a string" }), "org_number").transform((value, ctx) => {
  const checked = validateOrgNumber(value);
  if (checked.ok) return checked.value;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: checked.message });
  return z.NEVER;
}).openapi(FORMATS.orgNumber);

const body = { invalid_type_error: "the body must be a JSON object" };

export const createCustomerSchema = z
  .object({ external_id: externalId.optional(), name, org_number: orgNumber.optional(), language: language.optional() }, body)
  .strict();

export const CUSTOMER_PATCH_FIELDS = ["external_id", "name", "org_number", "language"] as const;

/** `null` clears an optional field; the name cannot be cleared. */
export const updateCustomerSchema = z
  .object(
    {
      external_id: externalId.nullable().optional(),
      name: name.optional(),
      org_number: orgNumber.nullable().optional(),
      language: language.nullable().optional(),
    },
    body,
  )
  .strict()
  .refine((value) => Object.keys(value).length > 0, {
    message: `send at least one field to change: ${CUSTOMER_PATCH_FIELDS.join(", ")}`,
  });

export type CreateCustomerInput = z.output<typeof createCustomerSchema>;
export type UpdateCustomerInput = z.output<typeof updateCustomerSchema>;

export const listCustomersQuerySchema = z
  .object({
    external_id: z.string().min(1, "external_id must not be empty").max(128, "external_id must be at most 128 characters").optional(),
    cursor: z.string().min(1, "cursor must not be empty").max(200, "cursor is not one this API returned").optional(),
    limit: limitParam.optional(),
  })
  .strict();

/** What the document shows for the contact fields with a rule (the portal's own rules, which the API applies). */
const CONTACT_FIELD_FORMATS: Record<string, Record<string, unknown>> = {
  email: FORMATS.email,
  phone: FORMATS.phone,
  postal_code: FORMATS.postalCode,
  country: FORMATS.country,
  language: { enum: ["", "sv", "en"], example: "sv" },
  channel: { enum: ["email", "peppol", "post"], example: "email" },
  peppol_id: FORMATS.peppolId,
};

/**
 * A contact as JSON: the portal form's fields, each a string or null. Only the shape is checked
 * here; the rules (channel needs its address, postal codes, phone numbers) are the portal's own.
 */
export const contactInputSchema = z
  .object(
    Object.fromEntries(
      CONTACT_FORM_FIELDS.map((field) => [
        field,
        singleLine(z.string({ invalid_type_error: `${field} must be a string or null` }).max(1000, `${field} is too long`), field)
          .openapi(CONTACT_FIELD_FORMATS[field] ?? {})
          .nullable()
          .optional(),
      ]),
    ) as Record<string, z.ZodOptional<z.ZodNullable<z.ZodEffects<z.ZodString>>>>,
    body,
  )
  .strict();

export type ContactJson = { id: string; created_at: string; updated_at: string } & Record<string, string | null>;

/**
 * "bounced" or "complained" while mail to the contact's address is suppressed; changing the
 * address (or lifting the suppression) makes it "ok" again.
 */
export type EmailStatus = "ok" | "bounced" | "complained";

export function customerContactJson(row: ContactRow): ContactJson {
  return {
    id: row.id,
    ...contactJson(contactFields(row)),
    email_status: (row.emailFailure ?? "ok") satisfies EmailStatus,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export type CustomerJson = {
  id: string;
  external_id: string | null;
  name: string;
  org_number: string | null;
  language: "sv" | "en" | null;
  /** When the payer last confirmed on the portal that these contacts are right; null if never. */
  contacts_confirmed_at: string | null;
  contacts: ContactJson[];
  created_at: string;
  updated_at: string;
};

export function customerJson(row: Customer, contacts: readonly ContactRow[]): CustomerJson {
  return {
    id: row.id,
    external_id: row.externalId,
    name: row.name,
    org_number: row.orgNumber,
    language: row.language,
    contacts_confirmed_at: row.contactsConfirmedAt?.toISOString() ?? null,
    contacts: contacts.map(customerContactJson),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

// ---- The answers, and the operations for the OpenAPI document ----

/** A billing contact as the API takes it: the example body of addContact and updateContact. */
const CONTACT_EXAMPLE = {
  name: "Per Persson", email: "per@kund.example", phone: "+46 70 123 45 67", invoice_reference: "PO-4711",
  address_line1: "Storgatan 1", postal_code: "111 22", city: "Stockholm", country: "SE", language: "sv", channel: "email",
};

export const contactSchema = z
  .object({
    id: z.string(),
    ...Object.fromEntries(CONTACT_FORM_FIELDS.map((field) => [field, nullableString])),
    email_status: z.enum(["ok", "bounced", "complained"]),
    created_at: instant,
    updated_at: instant,
  })
  .strict()
  .openapi({
    example: {
      id: "con_5KJKqPcpvzEkEo18EKR5VX", ...Object.fromEntries(CONTACT_FORM_FIELDS.map((field) => [field, null])), ...CONTACT_EXAMPLE,
      email_status: "ok", created_at: "2026-01-20T13:02:44.512Z", updated_at: "2026-01-20T13:02:44.512Z",
    },
  });

export const customerSchema = z
  .object({
    id: z.string(),
    external_id: nullableString,
    name: z.string(),
    org_number: nullableString,
    language: z.enum(["sv", "en"]).nullable(),
    contacts_confirmed_at: instant.nullable(),
    contacts: z.array(contactSchema),
    created_at: instant,
    updated_at: instant,
  })
  .strict()
  .openapi({
    example: {
      id: "cus_6avtw0BCzjv9Elxdk0sBua", external_id: "K-1001", name: "Kund AB", org_number: "556036-0793", language: "sv",
      contacts_confirmed_at: "2026-01-20T13:02:44.512Z", contacts: [exampleOf(contactSchema) as z.input<typeof contactSchema>],
      created_at: "2026-01-12T09:30:00.000Z", updated_at: "2026-01-20T13:02:44.512Z",
    },
  });

export const customerPageSchema = page(customerSchema);

const customerParams = z.object({ id: id("id", "cus") });

export const customerOperations: Operation[] = [
  {
    method: "get", path: "/api/v1/customers", operationId: "listCustomers", tag: "Customers", query: listCustomersQuerySchema,
    summary: "List customers, newest first", success: [json(200, "A page of customers", customerPageSchema, "CustomerPage")],
    errors: [422],
  },
  {
    method: "post", path: "/api/v1/customers", operationId: "createCustomer", tag: "Customers", idempotent: true,
    summary: "Create a customer", body: bodyOf(createCustomerSchema, "CustomerCreate", { external_id: "K-1002", name: "Kund AB", org_number: "556036-0793", language: "sv" }),
    success: [json(201, "The customer", customerSchema, "Customer")], errors: [409, 422],
  },
  {
    method: "get", path: "/api/v1/customers/{id}", operationId: "getCustomer", tag: "Customers", params: customerParams,
    summary: "Get a customer with its billing contacts", success: [json(200, "The customer", customerSchema, "Customer")],
  },
  {
    method: "patch", path: "/api/v1/customers/{id}", operationId: "updateCustomer", tag: "Customers", params: customerParams,
    summary: "Change a customer (null clears an optional field)", body: bodyOf(updateCustomerSchema, "CustomerUpdate", { name: "Kund Aktiebolag", language: null }),
    success: [json(200, "The customer", customerSchema, "Customer")], errors: [409, 422],
  },
  {
    method: "get", path: "/api/v1/customers/{id}/contacts", operationId: "listContacts", tag: "Customers", params: customerParams,
    summary: "A customer's billing contacts", success: [json(200, "The contacts", list(contactSchema), "ContactList")],
  },
  {
    method: "post", path: "/api/v1/customers/{id}/contacts", operationId: "addContact", tag: "Customers", params: customerParams,
    idempotent: true, summary: "Add a billing contact", body: bodyOf(contactInputSchema, "ContactInput", CONTACT_EXAMPLE),
    success: [json(201, "The contact", contactSchema, "Contact")], errors: [409, 422],
  },
  {
    method: "get", path: "/api/v1/customers/{id}/contacts/{contactId}", operationId: "getContact", tag: "Customers",
    params: z.object({ id: id("id", "cus"), contactId: id("contactId", "con") }),
    summary: "Get a billing contact", success: [json(200, "The contact", contactSchema, "Contact")],
  },
  {
    method: "patch", path: "/api/v1/customers/{id}/contacts/{contactId}", operationId: "updateContact", tag: "Customers",
    params: z.object({ id: id("id", "cus"), contactId: id("contactId", "con") }),
    summary: "Change a billing contact", body: bodyOf(contactInputSchema, "ContactInput", CONTACT_EXAMPLE),
    success: [json(200, "The contact", contactSchema, "Contact")], errors: [422],
  },
];
