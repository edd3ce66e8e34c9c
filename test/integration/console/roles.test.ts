// Roles (security C6, C7): every role against every console route's loader and every form —
// allowed, or 403 with nothing written — from one table with a row per route file, which must
// name every app.* route; an unknown intent is a 400, a cross-site POST a 403.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
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
import { can, CONSOLE_ROLES, type ConsoleRole, type Permission } from "~/domain/console-roles";
import { newTotpEnrolment } from "~/features/console/totp.server";
import { insertMembership } from "~/features/console/db/memberships.server";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { consoleTables, getPage, newConsoleUser, postForm, signedInCookie, totpCode } from "../../support/console";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

type Team = { supplierId: string; otherSupplierId: string; actorId: string; targetId: string; cookie: string; sessionId: string };

/** A supplier with an owner, the acting user in the role, and a member to act on. */
async function team(role: ConsoleRole): Promise<Team> {
  const { supplierId } = await newSupplier(db());
  const { supplierId: otherSupplierId } = await newSupplier(db(), { name: "Andra AB" });
  if (role !== "owner") await newConsoleUser(db(), supplierId, "owner");
  const actor = await newConsoleUser(db(), supplierId, role);
  await insertMembership(db(), actor.user.id, otherSupplierId, "member");
  const target = await newConsoleUser(db(), supplierId, "member");
  await signedInCookie(db(), target.user.id, supplierId);
  const cookie = await signedInCookie(db(), actor.user.id, supplierId);
  const [session] = await db().select().from(sessions).where(and(eq(sessions.userId, actor.user.id))).limit(1);
  return { supplierId, otherSupplierId, actorId: actor.user.id, targetId: target.user.id, cookie, sessionId: session!.id };
}

type Action = { route: object; path: string; intent: string; permission: Permission; fields: (team: Team) => Promise<Record<string, string>> };

const enrolment = async () => {
  const { secret } = await newTotpEnrolment("someone@example.test");
  return { secret, code: totpCode(secret) };
};

// The team's and the account's forms, each against a fresh team (they end sessions and remove people).
const ACTIONS: Action[] = [
  { route: teamRoute, path: "/app/team", intent: "invite", permission: "team.manage", fields: async () => ({ email: `new.${Date.now()}.${Math.random()}@example.test`, role: "member" }) },
  { route: teamRoute, path: "/app/team", intent: "change_role", permission: "team.manage", fields: async (t) => ({ user_id: t.targetId, role: "sales" }) },
  { route: teamRoute, path: "/app/team", intent: "remove", permission: "team.manage", fields: async (t) => ({ user_id: t.targetId }) },
  { route: teamRoute, path: "/app/team", intent: "end_sessions", permission: "team.manage", fields: async (t) => ({ user_id: t.targetId }) },
  { route: teamRoute, path: "/app/team", intent: "require_two_factor", permission: "team.manage", fields: async () => ({ required: "yes" }) },
  { route: accountRoute, path: "/app/account", intent: "password", permission: "console.use", fields: async () => ({ password: "ny-hängmatta-på-taket" }) },
  { route: accountRoute, path: "/app/account", intent: "totp_on", permission: "console.use", fields: enrolment },
  { route: accountRoute, path: "/app/account", intent: "totp_off", permission: "console.use", fields: async () => ({ code: "000000" }) },
  { route: accountRoute, path: "/app/account", intent: "end_session", permission: "console.use", fields: async (t) => ({ session_id: t.sessionId }) },
  { route: accountRoute, path: "/app/account", intent: "language", permission: "console.use", fields: async () => ({ language: "sv" }) },
  { route: switchRoute, path: "/app/switch", intent: "switch", permission: "console.use", fields: async (t) => ({ supplier_id: t.otherSupplierId }) },
];

/** What a role's request needs: the supplier's records, another supplier the user also works for. */
type World = { mine: SupplierRecords; otherSupplierId: string; newMember: () => Promise<string> };
type Fields = (w: World) => Record<string, string> | Promise<Record<string, string>>;

/**
 * One row per console route file (app/routes/app.*): who may open it (`page`: the permission of its
 * loader, null without one) and who may send each of its forms. A new route is a new row; the
 * completeness test below fails until it has one. The team's, account's and switch's forms are in
 * ACTIONS too, against a fresh team (they end sessions and remove people).
 */
type RouteRow = {
  file: string;
  route: object;
  path: (r: SupplierRecords) => string;
  params?: (r: SupplierRecords) => Record<string, string>;
  page: Permission | null;
  intents?: Record<string, { permission: Permission; fields?: Fields }>;
};

const id = (key: keyof SupplierRecords) => (r: SupplierRecords) => ({ id: r[key] });
const DEADLINE = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

const ROUTES: RouteRow[] = [
  { file: "app.tsx", route: layoutRoute, path: () => "/app", page: "console.use" },
  { file: "app._index.tsx", route: homeRoute, path: () => "/app", page: "console.use" },
  {
    file: "app.account.tsx", route: accountRoute, path: () => "/app/account", page: "console.use",
    intents: { language: { permission: "console.use", fields: () => ({ language: "sv" }) } },
  },
  { file: "app.switch.ts", route: switchRoute, path: () => "/app/switch", page: null, intents: { switch: { permission: "console.use", fields: (w) => ({ supplier_id: w.otherSupplierId }) } } },
  {
    file: "app.team.tsx", route: teamRoute, path: () => "/app/team", page: "team.read",
    intents: {
      invite: { permission: "team.manage", fields: () => ({ email: `new.${Date.now()}.${Math.random()}@example.test`, role: "member" }) },
      change_role: { permission: "team.manage", fields: async (w) => ({ user_id: await w.newMember(), role: "sales" }) },
      remove: { permission: "team.manage", fields: async (w) => ({ user_id: await w.newMember() }) },
      end_sessions: { permission: "team.manage", fields: async (w) => ({ user_id: await w.newMember() }) },
      require_two_factor: { permission: "team.manage", fields: () => ({ required: "no" }) },
    },
  },
  { file: "app.invoices._index.tsx", route: invoiceListRoute, path: () => "/app/invoices", page: "invoices.read" },
  { file: "app.invoices[.]csv.ts", route: invoiceCsvRoute, path: () => "/app/invoices.csv", page: "invoices.read" },
  {
    file: "app.invoices.$id.tsx", route: invoicePageRoute, path: (r) => `/app/invoices/${r.invoiceId}`, params: id("invoiceId"), page: "invoices.read",
    intents: {
      resolve_dispute: { permission: "invoices.work", fields: (w) => ({ dispute_id: w.mine.disputeId, status: "rejected", message: "Beloppet stämmer." }) },
      reissue_link: { permission: "invoices.work" },
      send: { permission: "invoices.work" },
      record_payment: { permission: "payments.record", fields: () => ({ amount: "100,00", currency: "SEK", method: "bank_transfer" }) },
      credit: { permission: "invoices.work", fields: () => ({ scope: "part", number: `K-${Math.random()}`, amount: "10,00", vat_rate: "25" }) },
      cancel: { permission: "invoices.work", fields: () => ({ reason: "Fel kund" }) },
      send_reminder: { permission: "invoices.work" },
      pause_reminders: { permission: "invoices.work", fields: () => ({ pause: "resumed", reason: "Betalningsplan" }) },
      resume_reminders: { permission: "invoices.work" },
    },
  },
  { file: "app.invoices.$id.pdf.ts", route: invoicePdfRoute, path: (r) => `/app/invoices/${r.invoiceId}/pdf`, params: id("invoiceId"), page: "invoices.read" },
  { file: "app.invoices.$id.pay-link[.]svg.ts", route: payLinkRoute, path: (r) => `/app/invoices/${r.invoiceId}/pay-link.svg`, params: id("invoiceId"), page: "invoices.read" },
  { file: "app.inbox._index.tsx", route: inboxListRoute, path: () => "/app/inbox", page: "invoices.read" },
  {
    file: "app.inbox.$id.tsx", route: inboxItemRoute, path: (r) => `/app/inbox/${r.inboxItemId}`, params: id("inboxItemId"), page: "invoices.read",
    intents: {
      state: { permission: "invoices.work", fields: () => ({ state: "in_progress" }) },
      assign: { permission: "invoices.work", fields: () => ({ assignee_id: "" }) },
      note: { permission: "invoices.work", fields: () => ({ body: "Looked at it." }) },
      answer: { permission: "invoices.work", fields: () => ({ status: "rejected", message: "No." }) },
      allocate: { permission: "payments.record", fields: (w) => ({ invoice: w.mine.invoiceId, amount: "100,00" }) },
      allocate_more: { permission: "payments.record", fields: (w) => ({ invoice: w.mine.invoiceId, amount: "100,00" }) },
      refund: { permission: "payments.record" },
      not_ours: { permission: "payments.record" },
    },
  },
  { file: "app.customers._index.tsx", route: customerListRoute, path: () => "/app/customers", page: "customers.read" },
  {
    file: "app.customers.$id.tsx", route: customerPageRoute, path: (r) => `/app/customers/${r.customerId}`, params: id("customerId"), page: "customers.read",
    intents: {
      "add-contact": { permission: "customers.edit", fields: () => ({ name: "Ny Person", email: `ny.${Math.random()}@example.test`, channel: "email" }) },
      "update-contact": { permission: "customers.edit", fields: (w) => ({ contact_id: w.mine.contactId, name: "Ny Person", email: "ny@example.test", channel: "email" }) },
      "remove-contact": { permission: "customers.edit", fields: (w) => ({ contact_id: w.mine.contactId }) },
    },
  },
  {
    file: "app.campaigns._index.tsx", route: campaignListRoute, path: () => "/app/campaigns", page: "campaigns.read",
    intents: { create: { permission: "campaigns.manage", fields: () => ({ name: "Ny", message: "Hej", audience: "all", deadline: DEADLINE }) } },
  },
  {
    file: "app.campaigns.$id.tsx", route: campaignPageRoute, path: (r) => `/app/campaigns/${r.campaignId}`, params: id("campaignId"), page: "campaigns.read",
    intents: { start: { permission: "campaigns.manage" }, cancel: { permission: "campaigns.manage" } },
  },
  { file: "app.campaigns.$id.answers[.]csv.ts", route: campaignCsvRoute, path: (r) => `/app/campaigns/${r.campaignId}/answers.csv`, params: id("campaignId"), page: "campaigns.read" },
  { file: "app.settings.tsx", route: settingsLayoutRoute, path: () => "/app/settings", page: "settings.read" },
  { file: "app.settings._index.tsx", route: settingsIndexRoute, path: () => "/app/settings", page: "settings.read" },
  {
    file: "app.settings.company.tsx", route: companyRoute, path: () => "/app/settings/company", page: "settings.read",
    intents: { save: { permission: "settings.edit", fields: () => ({ name: "Leverantör AB", time_zone: "Europe/Stockholm", language: "sv", payment_options: "card" }) } },
  },
  {
    file: "app.settings.reminders.tsx", route: remindersRoute, path: () => "/app/settings/reminders", page: "settings.read",
    intents: { save: { permission: "settings.edit", fields: () => ({ policy: "default", reminder_fee: "", payment_report_pause_days: "7" }) } },
  },
  {
    file: "app.settings.payment-accounts.tsx", route: paymentAccountsRoute, path: () => "/app/settings/payment-accounts", page: "settings.read",
    intents: {
      connect: { permission: "payments.accounts", fields: () => ({ provider: "stripe", secret_key: "sk_test_51AbCdEfGhIjKlMnOpQrStUv4242", webhook_secret: "whsec_9fJ2kLmN0pQrStUvWxYz1234abcd", methods: "card" }) },
      remove: { permission: "payments.accounts", fields: () => ({ provider: "stripe", confirm: "yes" }) },
    },
  },
  {
    file: "app.settings.api-keys.tsx", route: apiKeysRoute, path: () => "/app/settings/api-keys", page: "settings.read",
    intents: { create: { permission: "keys.manage", fields: () => ({ name: "ERP" }) }, revoke: { permission: "keys.manage", fields: (w) => ({ key_id: w.mine.apiKeyId }) } },
  },
  {
    file: "app.settings.webhooks._index.tsx", route: webhookListRoute, path: () => "/app/settings/webhooks", page: "settings.read",
    intents: {
      create: { permission: "settings.edit", fields: () => ({ url: "https://erp.example.test/other", event_types: "" }) },
      enable: { permission: "settings.edit", fields: (w) => ({ endpoint_id: w.mine.endpointId, enabled: "yes" }) },
      remove: { permission: "settings.edit", fields: (w) => ({ endpoint_id: w.mine.endpointId }) },
    },
  },
  {
    file: "app.settings.webhooks.$id.tsx", route: webhookLogRoute, path: (r) => `/app/settings/webhooks/${r.endpointId}`, params: id("endpointId"), page: "settings.read",
    intents: { replay: { permission: "settings.edit", fields: (w) => ({ delivery_id: w.mine.deliveryId }) } },
  },
];

// One world per role: its records, and the user in that role (signed in afresh for each request).
const worlds = new Map<ConsoleRole, Promise<{ world: World; user: Awaited<ReturnType<typeof roleUser>> }>>();
function worldOf(role: ConsoleRole) {
  if (!worlds.has(role)) {
    worlds.set(role, (async () => {
      const mine = await supplierRecords(db(), testConfig());
      const { supplierId: otherSupplierId } = await newSupplier(db(), { name: "Andra AB" });
      if (role !== "owner") await newConsoleUser(db(), mine.supplierId, "owner");
      const user = await roleUser(db(), mine.supplierId, role);
      await insertMembership(db(), user.id, otherSupplierId, "member");
      const newMember = async () => (await newConsoleUser(db(), mine.supplierId, "member")).user.id;
      return { world: { mine, otherSupplierId, newMember }, user };
    })());
  }
  return worlds.get(role)!;
}

const rowsWithIntents = ROUTES.flatMap((row) => Object.entries(row.intents ?? {}).map(([intent, spec]) => ({ row, intent, spec })));

describe("every console route is in the roles table", () => {
  it("each app.* route file with a loader or action has a row, and each row names a file", () => {
    expect(tableGaps(ROUTES.map((row) => row.file))).toEqual({ missing: [], stale: [] });
  });
});

describe("each role against every console route (C7)", () => {
  it.each(CONSOLE_ROLES.flatMap((role) => ROUTES.filter((row) => row.page).map((row) => [role, row.file, row] as const)))("%s opens %s as the table says", async (role, _file, row) => {
    const { world, user } = await worldOf(role);
    const response = await getPage(row.route, context(), row.path(world.mine), { cookie: await user.cookie(), params: row.params?.(world.mine) });
    expect(response.status).toBe(can(role, row.page!) ? 200 : 403);
  });

  it.each(CONSOLE_ROLES.flatMap((role) => rowsWithIntents.map(({ row, intent, spec }) => [role, `${row.file} ${intent}`, row, intent, spec] as const)))(
    "%s → %s: allowed, or 403 with nothing written",
    async (role, _name, row, intent, spec) => {
      const { world, user } = await worldOf(role);
      const fields = { intent, ...(await spec.fields?.(world)) };
      const cookie = await user.cookie();
      const before = await everyTable(db());
      const response = await postForm(row.route, context(), row.path(world.mine), fields, { cookie, params: row.params?.(world.mine) });
      if (can(role, spec.permission)) {
        // Allowed: done, refused on its merits or (an earlier form removed its record) not found; never forbidden.
        expect([401, 403]).not.toContain(response.status);
        expect(response.status).toBeLessThan(500);
      } else {
        expect(response.status).toBe(403);
        expect(await everyTable(db())).toEqual(before);
      }
    },
  );
});

const cases = CONSOLE_ROLES.flatMap((role) => ACTIONS.map((action) => [role, action.intent, action] as const));

describe("each role against the team's and account's forms, on a fresh team (C7)", () => {
  it.each(cases)("%s → %s", async (role, _intent, action) => {
    const t = await team(role);
    const before = await consoleTables(db());
    const response = await postForm(action.route, context(), action.path, { intent: action.intent, ...(await action.fields(t)) }, { cookie: t.cookie });
    if (can(role, action.permission)) {
      expect([200, 303, 422]).toContain(response.status);
    } else {
      expect(response.status).toBe(403);
      expect(await consoleTables(db())).toEqual(before);
    }
  });

  it("only an owner is offered the team's forms; sales sees none", async () => {
    for (const role of CONSOLE_ROLES) {
      const t = await team(role);
      const data = (await (await getPage(teamRoute, context(), "/app/team", { cookie: t.cookie })).json()) as { manage: boolean };
      expect(data.manage).toBe(role === "owner");
    }
  });
});

describe("the console route wrapper", () => {
  it("an unknown or missing intent is a 400 with nothing written", async () => {
    const t = await team("owner");
    const before = await consoleTables(db());
    for (const fields of [{ intent: "drop_tables" }, { intent: "__proto__" }, {}] as Record<string, string>[]) {
      expect((await postForm(teamRoute, context(), "/app/team", fields, { cookie: t.cookie })).status).toBe(400);
    }
    expect(await consoleTables(db())).toEqual(before);
  });

  it.each(ACTIONS.map((action) => [action.intent, action] as const))("a cross-site POST (%s) → 403, nothing written (C6)", async (_intent, action) => {
    const t = await team("owner");
    const before = await consoleTables(db());
    for (const headers of [{ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, { origin: "https://evil.example", "sec-fetch-site": "" }, { "sec-fetch-site": "same-site", origin: "" }]) {
      const response = await postForm(action.route, context(), action.path, { intent: action.intent, ...(await action.fields(t)) }, { cookie: t.cookie, headers });
      expect(response.status).toBe(403);
    }
    expect(await consoleTables(db())).toEqual(before);
  });
});
