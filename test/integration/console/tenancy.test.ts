// Cross-supplier access (security C7): an owner of one supplier, acting with another supplier's
// ids, gets 404 and changes nothing; every page shows only the signed-in supplier's data. One
// table with a row per console route file, which must name every app.* route.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { sessions } from "../../../db/schema";
import * as teamRoute from "~/routes/app.team";
import * as accountRoute from "~/routes/app.account";
import * as switchRoute from "~/routes/app.switch";
import * as homeRoute from "~/routes/app._index";
import * as layoutRoute from "~/routes/app";
import * as invoicePageRoute from "~/routes/app.invoices.$id";
import * as invoiceListRoute from "~/routes/app.invoices._index";
import * as invoiceCsvRoute from "~/routes/app.invoices[.]csv";
import * as invoicePdfRoute from "~/routes/app.invoices.$id.pdf";
import * as payLinkRoute from "~/routes/app.invoices.$id.pay-link[.]svg";
import * as inboxListRoute from "~/routes/app.inbox._index";
import * as inboxItemRoute from "~/routes/app.inbox.$id";
import * as customerListRoute from "~/routes/app.customers._index";
import * as customerPageRoute from "~/routes/app.customers.$id";
import * as campaignListRoute from "~/routes/app.campaigns._index";
import * as campaignPageRoute from "~/routes/app.campaigns.$id";
import * as campaignCsvRoute from "~/routes/app.campaigns.$id.answers[.]csv";
import * as apiKeysRoute from "~/routes/app.settings.api-keys";
import * as webhookListRoute from "~/routes/app.settings.webhooks._index";
import * as webhookLogRoute from "~/routes/app.settings.webhooks.$id";
import * as settingsLayoutRoute from "~/routes/app.settings";
import * as settingsIndexRoute from "~/routes/app.settings._index";
import * as companyRoute from "~/routes/app.settings.company";
import * as remindersRoute from "~/routes/app.settings.reminders";
import * as paymentAccountsRoute from "~/routes/app.settings.payment-accounts";
import { everyTable, roleUser, supplierRecords, tableGaps, type SupplierRecords } from "../../support/console-routes";
import { insertMembership } from "~/features/console/db/memberships.server";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { consoleTables, getPage, newConsoleUser, postForm, signedInCookie, tokenFromSetCookie, cookieHeader } from "../../support/console";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

async function twoSuppliers() {
  const mine = await newSupplier(db(), { name: "Min Leverantör AB" });
  const theirs = await newSupplier(db(), { name: "Deras Leverantör AB" });
  const owner = await newConsoleUser(db(), mine.supplierId, "owner");
  const stranger = await newConsoleUser(db(), theirs.supplierId, "member");
  await newConsoleUser(db(), theirs.supplierId, "owner");
  const strangerCookie = await signedInCookie(db(), stranger.user.id, theirs.supplierId);
  const [strangerSession] = await db().select().from(sessions).where(eq(sessions.userId, stranger.user.id));
  const cookie = await signedInCookie(db(), owner.user.id, mine.supplierId);
  return { mine, theirs, owner, stranger, strangerCookie, strangerSessionId: strangerSession!.id, cookie };
}

describe("another supplier's ids → 404, every table unchanged", () => {
  it.each([
    ["change_role", teamRoute, "/app/team", (s: Awaited<ReturnType<typeof twoSuppliers>>) => ({ user_id: s.stranger.user.id, role: "owner" })],
    ["remove", teamRoute, "/app/team", (s: Awaited<ReturnType<typeof twoSuppliers>>) => ({ user_id: s.stranger.user.id })],
    ["end_sessions", teamRoute, "/app/team", (s: Awaited<ReturnType<typeof twoSuppliers>>) => ({ user_id: s.stranger.user.id })],
    ["end_session", accountRoute, "/app/account", (s: Awaited<ReturnType<typeof twoSuppliers>>) => ({ session_id: s.strangerSessionId })],
    ["switch", switchRoute, "/app/switch", (s: Awaited<ReturnType<typeof twoSuppliers>>) => ({ supplier_id: s.theirs.supplierId })],
  ] as const)("%s", async (intent, route, path, fields) => {
    const s = await twoSuppliers();
    const before = await consoleTables(db());
    const response = await postForm(route, context(), path, { intent, ...fields(s) }, { cookie: s.cookie });
    expect(response.status).toBe(404);
    expect(await consoleTables(db())).toEqual(before);
    expect((await getPage(homeRoute, context(), "/app", { cookie: s.strangerCookie })).status).toBe(200);
  });

  it("inviting someone who works for another supplier adds them to this team only", async () => {
    const s = await twoSuppliers();
    const response = await postForm(teamRoute, context(), "/app/team", { intent: "invite", email: s.stranger.email, role: "sales" }, { cookie: s.cookie });
    expect(response.status).toBe(303);
    const theirTeam = (await (await getPage(teamRoute, context(), "/app/team", { cookie: s.strangerCookie })).json()) as { members: { email: string; role: string }[] };
    expect(theirTeam.members.find((m) => m.email === s.stranger.email)?.role).toBe("member");
  });
});

describe("every page shows only the signed-in supplier's data", () => {
  it("the layout, home and team pages name only this supplier and its people; a switch shows the other's", async () => {
    const s = await twoSuppliers();
    const pages = await Promise.all([
      getPage(layoutRoute, context(), "/app", { cookie: s.cookie }).then((r) => r.text()),
      getPage(homeRoute, context(), "/app", { cookie: s.cookie }).then((r) => r.text()),
      getPage(teamRoute, context(), "/app/team", { cookie: s.cookie }).then((r) => r.text()),
      getPage(accountRoute, context(), "/app/account", { cookie: s.cookie }).then((r) => r.text()),
    ]);
    for (const page of pages) {
      expect(page).not.toContain("Deras Leverantör AB");
      expect(page).not.toContain(s.theirs.supplierId);
      expect(page).not.toContain(s.stranger.email);
      expect(page).not.toContain(s.stranger.user.id);
    }

    // A user of both sees each supplier's team only while working for it.
    await insertMembership(db(), s.owner.user.id, s.theirs.supplierId, "sales");
    const switched = await postForm(switchRoute, context(), "/app/switch", { intent: "switch", supplier_id: s.theirs.supplierId }, { cookie: s.cookie });
    expect(switched.status).toBe(303);
    const there = cookieHeader(tokenFromSetCookie(switched)!);
    const team = await (await getPage(teamRoute, context(), "/app/team", { cookie: there })).text();
    expect(team).toContain(s.stranger.email);
    expect(team).toContain('"manage":false');
    // The old session ended with the switch (rotated at a privilege change: C4).
    expect((await postForm(accountRoute, context(), "/app/account", { intent: "language", language: "sv" }, { cookie: s.cookie })).status).toBe(401);
  });
});

type Both = { mine: SupplierRecords; theirs: SupplierRecords; strangerId: string; strangerSessionId: string };

/**
 * One row per console route file (app/routes/app.*), signed in as an owner of `mine`. A route with
 * an id in its path (`byId`) opened with the other supplier's id is a 404; one without shows
 * nothing of the other supplier's. `forms`: each form sent with the other supplier's ids (in the
 * path, or in its fields) is a 404 with every table unchanged. Forms that name no record (invite,
 * create…) have nothing of another supplier's to reach and are not listed. A new route is a new
 * row; the completeness test fails until it has one.
 */
type TenancyRow = {
  file: string;
  route: object;
  path: (r: SupplierRecords) => string;
  byId?: keyof SupplierRecords;
  /** Whether a GET answers at all (a route with forms only does not). */
  page?: false;
  forms?: Record<string, (b: Both) => Record<string, string>>;
};

const TENANCY: TenancyRow[] = [
  { file: "app.tsx", route: layoutRoute, path: () => "/app" },
  { file: "app._index.tsx", route: homeRoute, path: () => "/app" },
  { file: "app.account.tsx", route: accountRoute, path: () => "/app/account", forms: { end_session: (b) => ({ session_id: b.strangerSessionId }) } },
  { file: "app.switch.ts", route: switchRoute, path: () => "/app/switch", page: false, forms: { switch: (b) => ({ supplier_id: b.theirs.supplierId }) } },
  {
    file: "app.team.tsx", route: teamRoute, path: () => "/app/team",
    forms: {
      change_role: (b) => ({ user_id: b.strangerId, role: "owner" }),
      remove: (b) => ({ user_id: b.strangerId }),
      end_sessions: (b) => ({ user_id: b.strangerId }),
    },
  },
  { file: "app.invoices._index.tsx", route: invoiceListRoute, path: () => "/app/invoices" },
  { file: "app.invoices[.]csv.ts", route: invoiceCsvRoute, path: () => "/app/invoices.csv" },
  {
    file: "app.invoices.$id.tsx", route: invoicePageRoute, path: (r) => `/app/invoices/${r.invoiceId}`, byId: "invoiceId",
    forms: {
      resolve_dispute: (b) => ({ dispute_id: b.theirs.disputeId, status: "accepted" }),
      reissue_link: () => ({}),
      send: () => ({}),
      record_payment: () => ({ amount: "100,00", currency: "SEK", method: "bank_transfer" }),
      credit: () => ({ scope: "full", number: "K-1" }),
      cancel: () => ({ reason: "Fel kund" }),
    },
  },
  { file: "app.invoices.$id.pdf.ts", route: invoicePdfRoute, path: (r) => `/app/invoices/${r.invoiceId}/pdf`, byId: "invoiceId" },
  { file: "app.invoices.$id.pay-link[.]svg.ts", route: payLinkRoute, path: (r) => `/app/invoices/${r.invoiceId}/pay-link.svg`, byId: "invoiceId" },
  { file: "app.inbox._index.tsx", route: inboxListRoute, path: () => "/app/inbox" },
  {
    file: "app.inbox.$id.tsx", route: inboxItemRoute, path: (r) => `/app/inbox/${r.inboxItemId}`, byId: "inboxItemId",
    forms: {
      state: () => ({ state: "done" }),
      assign: () => ({ assignee_id: "" }),
      note: () => ({ body: "Looked at it." }),
      answer: () => ({ status: "rejected", message: "No." }),
      allocate: (b) => ({ invoice: b.theirs.invoiceId, amount: "100,00" }),
      allocate_more: () => ({ invoice: "", amount: "" }),
      refund: () => ({}),
      not_ours: () => ({}),
    },
  },
  { file: "app.customers._index.tsx", route: customerListRoute, path: () => "/app/customers" },
  {
    file: "app.customers.$id.tsx", route: customerPageRoute, path: (r) => `/app/customers/${r.customerId}`, byId: "customerId",
    forms: {
      "add-contact": () => ({ name: "Ny Person", email: "ny@example.test", channel: "email" }),
      "update-contact": (b) => ({ contact_id: b.theirs.contactId, name: "Ny Person", email: "ny@example.test", channel: "email" }),
      "remove-contact": (b) => ({ contact_id: b.theirs.contactId }),
    },
  },
  { file: "app.campaigns._index.tsx", route: campaignListRoute, path: () => "/app/campaigns" },
  { file: "app.campaigns.$id.tsx", route: campaignPageRoute, path: (r) => `/app/campaigns/${r.campaignId}`, byId: "campaignId", forms: { start: () => ({}), cancel: () => ({}) } },
  { file: "app.campaigns.$id.answers[.]csv.ts", route: campaignCsvRoute, path: (r) => `/app/campaigns/${r.campaignId}/answers.csv`, byId: "campaignId" },
  { file: "app.settings.tsx", route: settingsLayoutRoute, path: () => "/app/settings" },
  { file: "app.settings._index.tsx", route: settingsIndexRoute, path: () => "/app/settings" },
  // The settings forms name no record: the supplier is the session's (settings-company.test.ts posts another's id).
  { file: "app.settings.company.tsx", route: companyRoute, path: () => "/app/settings/company" },
  { file: "app.settings.reminders.tsx", route: remindersRoute, path: () => "/app/settings/reminders" },
  { file: "app.settings.payment-accounts.tsx", route: paymentAccountsRoute, path: () => "/app/settings/payment-accounts" },
  { file: "app.settings.api-keys.tsx", route: apiKeysRoute, path: () => "/app/settings/api-keys", forms: { revoke: (b) => ({ key_id: b.theirs.apiKeyId }) } },
  {
    file: "app.settings.webhooks._index.tsx", route: webhookListRoute, path: () => "/app/settings/webhooks",
    forms: { enable: (b) => ({ endpoint_id: b.theirs.endpointId, enabled: "no" }), remove: (b) => ({ endpoint_id: b.theirs.endpointId }) },
  },
  {
    file: "app.settings.webhooks.$id.tsx", route: webhookLogRoute, path: (r) => `/app/settings/webhooks/${r.endpointId}`, byId: "endpointId",
    forms: { replay: (b) => ({ delivery_id: b.theirs.deliveryId }) },
  },
];

// One pair of suppliers for the table: nothing here may change either.
let pair: Promise<Both & { cookie: () => Promise<string> }> | undefined;
function both() {
  pair ??= (async () => {
    const mine = await supplierRecords(db(), testConfig());
    const theirs = await supplierRecords(db(), testConfig());
    const owner = await roleUser(db(), mine.supplierId, "owner");
    const stranger = await roleUser(db(), theirs.supplierId, "member");
    return { mine, theirs, strangerId: stranger.id, strangerSessionId: await stranger.otherSession(), cookie: owner.cookie };
  })();
  return pair;
}

const theirIds = (b: Both) => Object.values(b.theirs).concat(b.strangerId);

describe("every console route is in the tenancy table", () => {
  it("each app.* route file with a loader or action has a row, and each row names a file", () => {
    expect(tableGaps(TENANCY.map((row) => row.file))).toEqual({ missing: [], stale: [] });
  });
});

describe("every console route with another supplier's ids (C7)", () => {
  it.each(TENANCY.filter((row) => row.page !== false).map((row) => [row.file, row] as const))("%s: 404 by their id, or shows none of theirs", async (_file, row) => {
    const b = await both();
    if (row.byId) {
      const response = await getPage(row.route, context(), row.path(b.theirs), { cookie: await b.cookie(), params: { id: b.theirs[row.byId] } });
      expect(response.status).toBe(404);
    }
    const own = await getPage(row.route, context(), row.path(b.mine), { cookie: await b.cookie(), params: row.byId ? { id: b.mine[row.byId] } : {} });
    expect(own.status).toBe(200);
    const body = new TextDecoder("latin1").decode(await own.arrayBuffer());
    for (const id of theirIds(b)) expect(body).not.toContain(id);
  });

  const forms = TENANCY.flatMap((row) => Object.entries(row.forms ?? {}).map(([intent, fields]) => [`${row.file} ${intent}`, row, intent, fields] as const));
  it.each(forms)("%s → 404, every table unchanged", async (_name, row, intent, fields) => {
    const b = await both();
    const cookie = await b.cookie();
    const before = await everyTable(db());
    const target = row.byId ? b.theirs : b.mine;
    const response = await postForm(row.route, context(), row.path(target), { intent, ...fields(b) }, { cookie, params: row.byId ? { id: target[row.byId] } : {} });
    expect(response.status).toBe(404);
    expect(await everyTable(db())).toEqual(before);
  });
});
