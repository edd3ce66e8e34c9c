// Roles (security C6, C7): every role against every console action — allowed, or 403 with no row
// written — and every page's loader; an unknown intent is a 400, a cross-site POST a 403.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { sessions } from "../../../db/schema";
import * as teamRoute from "~/routes/app.team";
import * as accountRoute from "~/routes/app.account";
import * as switchRoute from "~/routes/app.switch";
import * as homeRoute from "~/routes/app._index";
import * as layoutRoute from "~/routes/app";
import { can, CONSOLE_ROLES, type ConsoleRole, type Permission } from "~/domain/console-roles";
import { newTotpEnrolment } from "~/features/console/totp.server";
import { insertMembership } from "~/features/console/db/memberships.server";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
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

// Every form of every console page.
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

const PAGES: { route: object; path: string; permission: Permission }[] = [
  { route: layoutRoute, path: "/app", permission: "console.use" },
  { route: homeRoute, path: "/app", permission: "console.use" },
  { route: teamRoute, path: "/app/team", permission: "team.read" },
  { route: accountRoute, path: "/app/account", permission: "console.use" },
];

const cases = CONSOLE_ROLES.flatMap((role) => ACTIONS.map((action) => [role, action.intent, action] as const));

describe("each role against every console action (C7)", () => {
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

  it.each(CONSOLE_ROLES.flatMap((role) => PAGES.map((page) => [role, page.path, page] as const)))("%s opens %s as the table says", async (role, _path, page) => {
    const t = await team(role);
    const response = await getPage(page.route, context(), page.path, { cookie: t.cookie });
    expect(response.status).toBe(can(role, page.permission) ? 200 : 403);
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
