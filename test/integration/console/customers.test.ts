// The console's customers as a clerk uses them: the list by name with search and paging, one
// customer's page (contacts with their email status, invoices, campaign answers), and contact
// edits through the API's own use cases, with errors that name the field. Roles and other
// suppliers' ids are in customers-access.test.ts.
import { describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { campaignRecipients, campaigns, contacts, customers, events, webhookMessages } from "../../../db/schema";
import * as listRoute from "~/routes/app.customers._index";
import * as pageRoute from "~/routes/app.customers.$id";
import { newPublicId } from "~/domain/public-id";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { createInvoiceWithLink, STANDARD_INVOICE } from "../../support/fixtures";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";
import { recordTables } from "../../support/console-records";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

async function memberOfNewSupplier() {
  const { supplierId, supplier } = await newSupplier(db());
  const member = await newConsoleUser(db(), supplierId, "member");
  return { supplierId, supplier, member, cookie: await signedInCookie(db(), member.user.id, supplierId) };
}

async function addCustomer(supplierId: string, name: string, more: { externalId?: string; orgNumber?: string } = {}) {
  const id = newPublicId("cus");
  await db().insert(customers).values({ id, supplierId, name, externalId: more.externalId ?? null, orgNumber: more.orgNumber ?? null });
  return id;
}

async function addContact(supplierId: string, customerId: string, email: string, failure: "bounced" | null = null) {
  const id = newPublicId("con");
  await db().insert(contacts).values({
    id, supplierId, customerId, name: "Anna Ek", email, channel: "email",
    emailFailure: failure, emailFailingAt: failure ? new Date("2026-03-05T10:00:00Z") : null,
  });
  return id;
}

type ListPage = { customers: { id: string; name: string }[]; nextAfter: string | null };
const list = async (cookie: string, query = "") =>
  (await (await getPage(listRoute, context(), `/app/customers${query}`, { cookie })).json()) as ListPage;

describe("the customer list", () => {
  it("lists by name; finds by a part of the name, the customer number, or the organisation number written either way", async () => {
    const { supplierId, cookie } = await memberOfNewSupplier();
    await addCustomer(supplierId, "Östra Bygg AB", { externalId: "K-1001", orgNumber: "556036-0793" });
    await addCustomer(supplierId, "Alfa Konsult AB", { externalId: "K-1002" });
    await addCustomer(supplierId, "Bygg & Måleri 100% HB");
    // Another supplier's customer with a matching name never shows.
    const other = await newSupplier(db());
    await addCustomer(other.supplierId, "Östra Bygg Filial AB");

    expect((await list(cookie)).customers.map((c) => c.name)).toEqual(["Alfa Konsult AB", "Bygg & Måleri 100% HB", "Östra Bygg AB"]);
    expect((await list(cookie, "?q=bygg")).customers.map((c) => c.name)).toEqual(["Bygg & Måleri 100% HB", "Östra Bygg AB"]);
    expect((await list(cookie, "?q=K-1002")).customers.map((c) => c.name)).toEqual(["Alfa Konsult AB"]);
    expect((await list(cookie, "?q=5560360793")).customers.map((c) => c.name)).toEqual(["Östra Bygg AB"]);
    // LIKE's wildcards are what they are: "100%" matches the one name with it, "_" nothing.
    expect((await list(cookie, "?q=100%25")).customers.map((c) => c.name)).toEqual(["Bygg & Måleri 100% HB"]);
    expect((await list(cookie, "?q=_")).customers).toEqual([]);
  });

  it("pages fifty at a time without repeating or skipping anyone, searched or not", async () => {
    const { supplierId, cookie } = await memberOfNewSupplier();
    await db().insert(customers).values(
      Array.from({ length: 53 }, (_, index) => ({ id: newPublicId("cus"), supplierId, name: `Kund ${String(index).padStart(2, "0")}` })),
    );
    const first = await list(cookie);
    expect(first.customers).toHaveLength(50);
    expect(first.nextAfter).toBe(first.customers.at(-1)!.id);
    const second = await list(cookie, `?after=${first.nextAfter}`);
    expect(second.customers.map((c) => c.name)).toEqual(["Kund 50", "Kund 51", "Kund 52"]);
    expect(second.nextAfter).toBeNull();

    // A search pages too (on id, each page shown by name): every match once.
    const found = await list(cookie, "?q=kund");
    const rest = await list(cookie, `?q=kund&after=${found.nextAfter}`);
    expect(found.customers.map((c) => c.name)).toEqual([...found.customers.map((c) => c.name)].sort());
    expect(new Set([...found.customers, ...rest.customers].map((c) => c.name)).size).toBe(53);
    expect(rest.nextAfter).toBeNull();
  });

});

describe("a customer's page", () => {
  it("shows contacts with their email status and confirmation, open and paid invoices, and campaign answers", async () => {
    const { supplierId, supplier, cookie } = await memberOfNewSupplier();
    const customerId = await addCustomer(supplierId, "Östra Bygg AB");
    await db().update(customers).set({ contactsConfirmedAt: new Date("2026-02-01T09:00:00Z") }).where(eq(customers.id, customerId));
    await addContact(supplierId, customerId, "ekonomi@ostra.example");
    await addContact(supplierId, customerId, "gammal@ostra.example", "bounced");
    const owner = { supplier, customerId };
    const open = await createInvoiceWithLink(db(), testConfig(), owner, { dueDate: "2099-01-31" });
    const paid = await createInvoiceWithLink(db(), testConfig(), owner, { amountPaid: STANDARD_INVOICE.total, paidAt: new Date() });
    const campaignId = newPublicId("cmp");
    await db().insert(campaigns).values({ id: campaignId, supplierId, name: "Årlig kontroll", message: "Hej", audience: "all", deadline: new Date("2026-04-01T00:00:00Z"), status: "started" });
    await db().insert(campaignRecipients).values({ id: newPublicId("cre"), campaignId, supplierId, customerId, answer: "corrected", answeredAt: new Date("2026-03-10T08:00:00Z") });

    const page = (await (await getPage(pageRoute, context(), `/app/customers/${customerId}`, { cookie, params: { id: customerId } })).json()) as {
      edit: boolean;
      customer: { contactsConfirmedAt: string };
      contacts: { email: string; emailFailure: string | null; emailFailingAt: string | null }[];
      open: { id: string; status: string }[];
      paid: { id: string; status: string }[];
      answers: { campaignId: string; answer: string }[];
    };
    expect(page.edit).toBe(true);
    expect(page.customer.contactsConfirmedAt).toBe("2026-02-01T09:00:00.000Z");
    expect(page.contacts.map((c) => [c.email, c.emailFailure])).toEqual([["ekonomi@ostra.example", null], ["gammal@ostra.example", "bounced"]]);
    expect(page.open).toEqual([expect.objectContaining({ id: open.invoice.id, status: "open" })]);
    expect(page.paid).toEqual([expect.objectContaining({ id: paid.invoice.id, status: "paid" })]);
    expect(page.answers).toEqual([expect.objectContaining({ campaignId, answer: "corrected" })]);
  });
});

describe("editing contacts", () => {
  it("a wrong field is named and nothing is written; a good one is added, changed and removed, each audited with the user", async () => {
    const { supplierId, member, cookie } = await memberOfNewSupplier();
    const customerId = await addCustomer(supplierId, "Östra Bygg AB");
    const path = `/app/customers/${customerId}`;
    const post = (fields: Record<string, string>) => postForm(pageRoute, context(), path, fields, { cookie, params: { id: customerId } });

    const before = await recordTables(db());
    const wrong = await post({ intent: "add-contact", name: "Anna", email: "anna(at)ostra", channel: "email" });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({
      form: "add-contact",
      errors: { email: "actions.error.email" },
      values: { name: "Anna", email: "anna(at)ostra" },
    });
    expect(await recordTables(db())).toEqual(before);

    expect((await post({ intent: "add-contact", name: "Anna", email: "anna@ostra.example", channel: "email" })).status).toBe(303);
    const [added] = await db().select().from(contacts).where(eq(contacts.customerId, customerId));
    expect(added).toMatchObject({ name: "Anna", email: "anna@ostra.example", isBilling: true });

    const peppolMissing = await post({ intent: "update-contact", contact_id: added!.id, name: "Anna", email: "anna@ostra.example", channel: "peppol" });
    expect(peppolMissing.status).toBe(422);
    expect(await peppolMissing.json()).toMatchObject({ form: `update-contact:${added!.id}`, errors: { peppol_id: "actions.error.required" } });

    expect((await post({ intent: "update-contact", contact_id: added!.id, name: "Anna Ek", email: "faktura@ostra.example", channel: "email" })).status).toBe(303);
    const [changed] = await db().select().from(contacts).where(eq(contacts.id, added!.id));
    expect(changed).toMatchObject({ name: "Anna Ek", email: "faktura@ostra.example" });

    expect((await post({ intent: "remove-contact", contact_id: added!.id })).status).toBe(303);
    expect(await db().select().from(contacts).where(eq(contacts.customerId, customerId))).toEqual([]);

    const audit = await db().select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.customerId, customerId))).orderBy(asc(events.createdAt));
    expect(audit.map((e) => [e.type, e.actor, e.actorId])).toEqual([
      ["contact.added", "user", member.user.id],
      ["contact.updated", "user", member.user.id],
      ["contact.removed", "user", member.user.id],
    ]);
    const published = await db().select().from(webhookMessages).where(eq(webhookMessages.supplierId, supplierId));
    expect(published.map((m) => (m.payload as { action: string }).action).sort()).toEqual(["added", "removed", "updated"]);
  });
});
