// The customers API: list/create, get/patch, contacts; audit, webhooks, strictness and D4.
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { webhookMessagesOf } from "../portal/payer-helpers";
import { action as createAction, loader as listLoader } from "~/routes/api.v1.customers";
import { action as patchAction, loader as getLoader } from "~/routes/api.v1.customers.$id";
import { action as addContactAction, loader as contactsLoader } from "~/routes/api.v1.customers.$id.contacts";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

type Headers = Record<string, string>;

const post = (headers: Headers, json: unknown, extra: Headers = {}) =>
  callRoute(createAction, context(), { method: "POST", path: "/api/v1/customers", headers: { ...headers, ...extra }, json });
const list = (headers: Headers, query = "") => callRoute(listLoader, context(), { path: `/api/v1/customers${query}`, headers });
const getOne = (headers: Headers, id: string) =>
  callRoute(getLoader, context(), { path: `/api/v1/customers/${id}`, params: { id }, headers });
const patch = (headers: Headers, id: string, json: unknown) =>
  callRoute(patchAction, context(), { method: "PATCH", path: `/api/v1/customers/${id}`, params: { id }, headers, json });
const contactsOf = (headers: Headers, id: string) =>
  callRoute(contactsLoader, context(), { path: `/api/v1/customers/${id}/contacts`, params: { id }, headers });
const addContact = (headers: Headers, id: string, json: unknown, extra: Headers = {}) =>
  callRoute(addContactAction, context(), {
    method: "POST",
    path: `/api/v1/customers/${id}/contacts`,
    params: { id },
    headers: { ...headers, ...extra },
    json,
  });

async function created(headers: Headers, body: Record<string, unknown>) {
  const response = await post(headers, body);
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; [key: string]: unknown };
}

const eventsOf = (supplierId: string, type: string) =>
  db().select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.type, type))).orderBy(asc(events.seq));

/** Rows that any change would write: equal before and after means nothing was written. */
async function counts() {
  const [row] = await db().execute<Record<string, string>>(sql`select
    (select count(*) from customers) as customers, (select count(*) from contacts) as contacts,
    (select count(*) from events) as events, (select count(*) from webhook_messages) as messages,
    (select count(*) from idempotency_keys) as keys,
    (select coalesce(string_agg(name || coalesce(external_id, '') || coalesce(org_number, '') || coalesce(language, ''), ',' order by id), '') from customers) as digest`);
  return row;
}

describe("POST /api/v1/customers and GET /api/v1/customers/:id", () => {
  it("creates a customer (201, Location), audits it with the key and publishes customer.created", async () => {
    const { supplier, apiKeyId, headers } = await newSupplier(db());
    const response = await post(headers, { external_id: "K-1", name: " Kund AB ", org_number: "5566778899", language: "en" });
    expect(response.status).toBe(201);
    const customer = await response.json();
    expect(customer).toMatchObject({
      external_id: "K-1",
      name: "Kund AB",
      org_number: "556677-8899",
      language: "en",
      contacts_confirmed_at: null,
      contacts: [],
    });
    expect(response.headers.get("location")).toBe(`https://pay.example.test/api/v1/customers/${customer.id}`);
    expect(await (await getOne(headers, customer.id)).json()).toEqual(customer);

    const [event] = await eventsOf(supplier.id, "customer.created");
    expect(event).toMatchObject({ actor: "supplier", actorId: apiKeyId, customerId: customer.id, ip: "203.0.113.7" });
    const [message] = await webhookMessagesOf(db(), supplier.id, "customer.created");
    expect(message?.payload).toMatchObject({ customer: { id: customer.id, name: "Kund AB" } });
  });

  it("refuses a duplicate external_id with 409 naming the field, and writes nothing", async () => {
    const { headers } = await newSupplier(db());
    await created(headers, { external_id: "K-1", name: "Kund AB" });
    const before = await counts();
    const response = await post(headers, { external_id: "K-1", name: "Annan AB" });
    expect(response.status).toBe(409);
    expect((await response.json()).errors).toEqual([{ field: "external_id", message: expect.any(String) }]);
    expect(await counts()).toEqual(before);
  });

  it("lets two suppliers use the same external_id", async () => {
    await created((await newSupplier(db(), { name: "A AB" })).headers, { external_id: "SAME", name: "Kund" });
    await created((await newSupplier(db(), { name: "B AB" })).headers, { external_id: "SAME", name: "Kund" });
  });

  it("rejects unknown fields and bad values with 422 and their paths, writing nothing", async () => {
    const { headers } = await newSupplier(db());
    const before = await counts();
    const response = await post(headers, { name: "", org_number: "556677-8898", language: "de", email: "x@example.com" });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const fields = (await response.json()).errors.map((error: { field: string }) => error.field).sort();
    expect(fields).toEqual(["email", "language", "name", "org_number"]);
    expect(await counts()).toEqual(before);
  });

  it("answers a repeated Idempotency-Key with the first customer and creates one only", async () => {
    const { supplier, headers } = await newSupplier(db());
    const key = { "idempotency-key": "create-k-7" };
    const first = await post(headers, { external_id: "K-7", name: "Kund AB" }, key);
    const again = await post(headers, { external_id: "K-7", name: "Kund AB" }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await eventsOf(supplier.id, "customer.created")).toHaveLength(1);
    const other = await post(headers, { external_id: "K-8", name: "Kund AB" }, key);
    expect(other.status).toBe(422);
    expect((await other.json()).errors[0].field).toBe("Idempotency-Key");
  });
});

describe("GET /api/v1/customers", () => {
  it("lists newest first in pages that neither skip nor repeat, and finds one by external_id", async () => {
    const { headers } = await newSupplier(db());
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await created(headers, { external_id: `K-${index}`, name: `Kund ${index}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(headers, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: { id: string }[]; next_cursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((customer) => customer.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const found = await (await list(headers, "?external_id=K-3")).json();
    expect(found.data.map((customer: { id: string }) => customer.id)).toEqual([ids[3]]);
  });

  it("rejects unknown parameters, a bad limit and a forged cursor with 422", async () => {
    const { headers } = await newSupplier(db());
    for (const [query, field] of [["?status=open", "status"], ["?limit=0", "limit"], ["?cursor=abc", "cursor"]] as const) {
      const response = await list(headers, query);
      expect(response.status).toBe(422);
      expect((await response.json()).errors[0].field).toBe(field);
    }
  });
});

describe("PATCH /api/v1/customers/:id", () => {
  it("changes the given fields, clears with null, audits before/after and publishes customer.updated", async () => {
    const { supplier, apiKeyId, headers } = await newSupplier(db());
    const customer = await created(headers, { external_id: "K-1", name: "Kund AB", org_number: "556677-8899" });
    const response = await patch(headers, customer.id, { name: "Kund Nya AB", org_number: null, language: "sv" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: customer.id, external_id: "K-1", name: "Kund Nya AB", org_number: null, language: "sv" });
    const [event] = await eventsOf(supplier.id, "customer.updated");
    expect(event).toMatchObject({ actor: "supplier", actorId: apiKeyId });
    expect(event?.data).toEqual({
      changes: {
        name: { from: "Kund AB", to: "Kund Nya AB" },
        org_number: { from: "556677-8899", to: null },
        language: { from: null, to: "sv" },
      },
    });
    const [message] = await webhookMessagesOf(db(), supplier.id, "customer.updated");
    expect(message?.payload).toMatchObject({ changed: ["name", "org_number", "language"], customer: { name: "Kund Nya AB" } });
  });

  it("writes nothing when nothing changes", async () => {
    const { headers } = await newSupplier(db());
    const customer = await created(headers, { name: "Kund AB" });
    const before = await counts();
    expect((await patch(headers, customer.id, { name: "Kund AB" })).status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it("refuses another customer's external_id (409), unknown or empty bodies (422), writing nothing", async () => {
    const { headers } = await newSupplier(db());
    await created(headers, { external_id: "TAKEN", name: "Första AB" });
    const customer = await created(headers, { external_id: "MINE", name: "Andra AB" });
    const before = await counts();
    const taken = await patch(headers, customer.id, { external_id: "TAKEN", name: "Bytt AB" });
    expect(taken.status).toBe(409);
    expect((await taken.json()).errors[0].field).toBe("external_id");
    const unknown = await patch(headers, customer.id, { name: "Bytt AB", contacts: [] });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors).toEqual([{ field: "contacts", message: "unknown field" }]);
    const empty = await patch(headers, customer.id, {});
    expect(empty.status).toBe(422);
    const cleared = await patch(headers, customer.id, { name: null });
    expect(cleared.status).toBe(422);
    expect(await counts()).toEqual(before);
  });
});

const CONTACT = { name: "Eva Ek", email: "eva@kund.example", invoice_reference: "PO-1", language: "sv" };

describe("/api/v1/customers/:id/contacts", () => {
  it("adds a billing contact (default channel email), audits it and publishes contact.updated", async () => {
    const { supplier, apiKeyId, headers } = await newSupplier(db());
    const customer = await created(headers, { name: "Kund AB" });
    const response = await addContact(headers, customer.id, CONTACT);
    expect(response.status).toBe(201);
    const contact = await response.json();
    expect(contact).toMatchObject({ ...CONTACT, channel: "email", phone: null, id: expect.stringMatching(/^con_/) });

    expect(await (await contactsOf(headers, customer.id)).json()).toEqual({ data: [contact] });
    expect((await (await getOne(headers, customer.id)).json()).contacts).toEqual([contact]);
    const [event] = await eventsOf(supplier.id, "contact.added");
    expect(event).toMatchObject({ actor: "supplier", actorId: apiKeyId, customerId: customer.id });
    const [message] = await webhookMessagesOf(db(), supplier.id, "contact.updated");
    expect(message?.payload).toMatchObject({ action: "added", contact_id: contact.id, after: { email: CONTACT.email } });
  });

  it("applies the portal form's rules and strictness: 422 with the fields, nothing written", async () => {
    const { headers } = await newSupplier(db());
    const customer = await created(headers, { name: "Kund AB" });
    const before = await counts();
    const cases: [unknown, string[]][] = [
      [{ name: "Eva" }, ["email"]],
      [{ email: "not-an-email", phone: "abc" }, ["email", "phone"]],
      [{ channel: "post", email: "eva@kund.example" }, ["address_line1", "city", "postal_code"]],
      [{ ...CONTACT, is_billing: false }, ["is_billing"]],
      [{ ...CONTACT, email: 42 }, ["email"]],
    ];
    for (const [body, fields] of cases) {
      const response = await addContact(headers, customer.id, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      const errors = (await response.json()).errors as { field: string; message: string }[];
      expect(errors.map((error) => error.field).sort()).toEqual(fields);
      expect(errors.every((error) => error.message.length > 0 && !error.message.startsWith("actions."))).toBe(true);
    }
    expect(await counts()).toEqual(before);
  });

  it("adds one contact per Idempotency-Key", async () => {
    const { headers } = await newSupplier(db());
    const customer = await created(headers, { name: "Kund AB" });
    const key = { "idempotency-key": "contact-1" };
    const first = await addContact(headers, customer.id, CONTACT, key);
    const again = await addContact(headers, customer.id, CONTACT, key);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect((await (await contactsOf(headers, customer.id)).json()).data).toHaveLength(1);
  });
});

describe("another supplier's customer (security D4)", () => {
  it("is 404 on every route and changes nothing", async () => {
    const owner = await newSupplier(db(), { name: "Ägare AB" });
    const customer = await created(owner.headers, { external_id: "K-1", name: "Kund AB" });
    await addContact(owner.headers, customer.id, CONTACT);
    const { headers } = await newSupplier(db(), { name: "Annan AB" });
    const before = await counts();
    for (const id of [customer.id, "cus_0000000000000000000000", "1"]) {
      const responses = [
        await getOne(headers, id),
        await patch(headers, id, { name: "Kapad AB" }),
        await contactsOf(headers, id),
        await addContact(headers, id, { email: "thief@evil.example" }),
      ];
      for (const response of responses) {
        expect(response.status).toBe(404);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
      }
    }
    expect((await (await list(headers)).json()).data).toEqual([]);
    expect((await (await list(headers, "?external_id=K-1")).json()).data).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it("needs an API key", async () => {
    expect((await list({})).status).toBe(401);
    expect((await post({}, { name: "Kund AB" })).status).toBe(401);
  });
});
