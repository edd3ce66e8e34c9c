// Who may do what on the customers pages (security C7): a sales user reads every customer page
// but has no forms and gets 403 on every change, nothing written; another supplier's customer or
// contact is a 404 on every loader and action, every table unchanged.
import { describe, expect, it } from "vitest";
import { contacts, customers } from "../../../db/schema";
import * as listRoute from "~/routes/app.customers._index";
import * as pageRoute from "~/routes/app.customers.$id";
import { newPublicId } from "~/domain/public-id";
import { can, CONSOLE_ROLES } from "~/domain/console-roles";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";
import { recordTables } from "../../support/console-records";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

async function customerWithContact(supplierId: string, name: string) {
  const customerId = newPublicId("cus");
  const contactId = newPublicId("con");
  await db().insert(customers).values({ id: customerId, supplierId, name });
  await db().insert(contacts).values({ id: contactId, supplierId, customerId, email: `ap@${customerId.toLowerCase()}.example`, channel: "email" });
  return { customerId, contactId };
}

async function world() {
  const mine = await newSupplier(db(), { name: "Min Leverantör AB" });
  const theirs = await newSupplier(db(), { name: "Deras Leverantör AB" });
  const own = await customerWithContact(mine.supplierId, "Egen Kund AB");
  const foreign = await customerWithContact(theirs.supplierId, "Främmande Kund AB");
  const cookieOf = async (role: "owner" | "sales") => {
    const user = await newConsoleUser(db(), mine.supplierId, role);
    return signedInCookie(db(), user.user.id, mine.supplierId);
  };
  return { own, foreign, owner: await cookieOf("owner"), sales: await cookieOf("sales") };
}

const VALID = { name: "Ny Person", email: "ny@example.test", channel: "email" };
const changes = (target: { customerId: string; contactId: string }): Record<string, string>[] => [
  { intent: "add-contact", ...VALID },
  { intent: "update-contact", contact_id: target.contactId, ...VALID },
  { intent: "remove-contact", contact_id: target.contactId },
];

describe("a sales user", () => {
  it("reads the list and the customer's page, without forms, and every change is a 403 with nothing written", async () => {
    const w = await world();
    expect((await getPage(listRoute, context(), "/app/customers", { cookie: w.sales })).status).toBe(200);
    const page = await getPage(pageRoute, context(), `/app/customers/${w.own.customerId}`, { cookie: w.sales, params: { id: w.own.customerId } });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ edit: false, campaigns: false });
    const before = await recordTables(db());
    for (const fields of changes(w.own)) {
      const response = await postForm(pageRoute, context(), `/app/customers/${w.own.customerId}`, fields, { cookie: w.sales, params: { id: w.own.customerId } });
      expect(response.status, fields.intent).toBe(403);
    }
    expect(await recordTables(db())).toEqual(before);
  });
});

describe("another supplier's ids → 404, every table unchanged", () => {
  it("the customer's page", async () => {
    const w = await world();
    const response = await getPage(pageRoute, context(), `/app/customers/${w.foreign.customerId}`, { cookie: w.owner, params: { id: w.foreign.customerId } });
    expect(response.status).toBe(404);
  });

  it("every contact change, on their customer or on their contact under ours", async () => {
    const w = await world();
    const before = await recordTables(db());
    const targets = [
      { path: w.foreign.customerId, target: w.foreign },
      { path: w.own.customerId, target: { customerId: w.own.customerId, contactId: w.foreign.contactId } },
    ];
    for (const { path, target } of targets) {
      for (const fields of changes(target)) {
        if (path === w.own.customerId && fields.intent === "add-contact") continue; // adding to our own customer is allowed
        const response = await postForm(pageRoute, context(), `/app/customers/${path}`, fields, { cookie: w.owner, params: { id: path } });
        expect(response.status, `${fields.intent} on ${path}`).toBe(404);
      }
    }
    expect(await recordTables(db())).toEqual(before);
  });

  it("the list never shows them, whatever the search or the page it starts after", async () => {
    const w = await world();
    const shown = async (query: string) => {
      const page = await getPage(listRoute, context(), `/app/customers?${query}`, { cookie: w.owner });
      return ((await page.json()) as { customers: { id: string }[] }).customers.map((c) => c.id);
    };
    expect(await shown("q=Kund")).toEqual([w.own.customerId]);
    // Paging after the other supplier's id is paging after an id like any other: what follows is
    // only ever this supplier's (ids are random, so its own customer may sort before or after).
    const afterForeign = await shown(`q=Kund&after=${w.foreign.customerId}`);
    expect(afterForeign).not.toContain(w.foreign.customerId);
    expect(afterForeign.every((id) => id === w.own.customerId)).toBe(true);
  });
});

describe("each role against every customers page and form, as the role table says", () => {
  it.each(CONSOLE_ROLES)("%s", async (role) => {
    const { supplierId } = await newSupplier(db());
    const user = await newConsoleUser(db(), supplierId, role);
    const cookie = await signedInCookie(db(), user.user.id, supplierId);
    const own = await customerWithContact(supplierId, "Egen Kund AB");
    const params = { id: own.customerId };
    const path = `/app/customers/${own.customerId}`;
    expect((await getPage(listRoute, context(), "/app/customers", { cookie })).status).toBe(can(role, "customers.read") ? 200 : 403);
    expect((await getPage(pageRoute, context(), path, { cookie, params })).status).toBe(can(role, "customers.read") ? 200 : 403);
    // Removal last: it takes the contact the others change.
    for (const fields of changes(own)) {
      const before = await recordTables(db());
      const response = await postForm(pageRoute, context(), path, fields, { cookie, params });
      if (can(role, "customers.edit")) {
        expect(response.status, fields.intent).toBe(303);
      } else {
        expect(response.status, fields.intent).toBe(403);
        expect(await recordTables(db())).toEqual(before);
      }
    }
  });
});
