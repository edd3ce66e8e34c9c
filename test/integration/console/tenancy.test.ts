// Cross-supplier access (security C7): an owner of one supplier, acting with another supplier's
// ids, gets 404 and changes nothing; every page shows only the signed-in supplier's data.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { sessions } from "../../../db/schema";
import * as teamRoute from "~/routes/app.team";
import * as accountRoute from "~/routes/app.account";
import * as switchRoute from "~/routes/app.switch";
import * as homeRoute from "~/routes/app._index";
import * as layoutRoute from "~/routes/app";
import { insertMembership } from "~/features/console/db/memberships.server";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
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
