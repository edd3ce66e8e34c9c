// The team page's changes as an owner makes them (security C3, C4, C5, C8): an invitation
// emails a one-time link that leads to choosing a password; a role change or removal is one
// audit row and ends the person's sessions; the last owner stays; a team that requires two-step
// sign-in sends a member without it to the account page.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { emails, events, users } from "../../../db/schema";
import * as teamRoute from "~/routes/app.team";
import * as accountRoute from "~/routes/app.account";
import * as homeRoute from "~/routes/app._index";
import * as linkRoute from "~/routes/app_.link.$token";
import * as signInRoute from "~/routes/app_.sign-in";
import { renderEmail } from "../../../emails";
import { useTestDatabase } from "../../support/database";
import { testContext, TEST_BASE_URL } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { cookieHeader, getPage, newConsoleUser, postForm, signedInCookie, tokenFromSetCookie, uniqueEmail } from "../../support/console";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

async function ownerOfNewSupplier() {
  const { supplierId } = await newSupplier(db());
  const owner = await newConsoleUser(db(), supplierId, "owner");
  return { supplierId, owner, cookie: await signedInCookie(db(), owner.user.id, supplierId) };
}

const auditTypes = async (supplierId: string) => (await db().select().from(events).where(eq(events.supplierId, supplierId))).map((e) => e.type);

describe("inviting a colleague", () => {
  it("emails a link that signs in once and leads to a password; a weak password is refused, a good one signs in", async () => {
    const { supplierId, cookie } = await ownerOfNewSupplier();
    const email = uniqueEmail("clerk");
    expect((await postForm(teamRoute, context(), "/app/team", { intent: "invite", email, role: "member" }, { cookie })).status).toBe(303);
    expect(await auditTypes(supplierId)).toContain("console.member_invited");
    const [mail] = await db().select().from(emails).where(and(eq(emails.supplierId, supplierId), eq(emails.template, "console-sign-in-link")));
    expect(mail!.toAddress).toBe(email);
    const rendered = await renderEmail("console-sign-in-link", mail!.props, { locale: "en", brand: { name: "Leverantör AB" } });
    const url = rendered.text.match(new RegExp(`${TEST_BASE_URL}/app/link/([A-Za-z0-9_-]{43})`));
    const token = url![1]!;

    const landed = await postForm(linkRoute, context(), `/app/link/${token}`, { intent: "use" }, { params: { token } });
    expect(landed.headers.get("location")).toBe("/app/account?password=new#password");
    const session = cookieHeader(tokenFromSetCookie(landed)!);
    const weak = await postForm(accountRoute, context(), "/app/account", { intent: "password", password: "Password1234" }, { cookie: session });
    expect(weak.status).toBe(422);
    expect(await weak.json()).toMatchObject({ error: "password", problem: "common" });
    const set = await postForm(accountRoute, context(), "/app/account", { intent: "password", password: "tre-blå-kaniner-i-snön" }, { cookie: session });
    expect(set.status).toBe(303);
    // The password change rotated the session: the old cookie is over, the new one works.
    expect((await getPage(homeRoute, context(), "/app", { cookie: session })).status).toBe(302);
    expect((await getPage(homeRoute, context(), "/app", { cookie: cookieHeader(tokenFromSetCookie(set)!) })).status).toBe(200);
    const signIn = await postForm(signInRoute, context(), "/app/sign-in", { intent: "password", email, password: "tre-blå-kaniner-i-snön" });
    expect(signIn.status).toBe(303);
  });

  it("someone already on the team is not invited twice", async () => {
    const { cookie, owner } = await ownerOfNewSupplier();
    const response = await postForm(teamRoute, context(), "/app/team", { intent: "invite", email: owner.email.toUpperCase(), role: "member" }, { cookie });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: "console.team.error.already_member" });
  });
});

describe("changing the team", () => {
  it("a role change is one audit row and ends the person's sessions; so is a removal", async () => {
    const { supplierId, cookie } = await ownerOfNewSupplier();
    const member = await newConsoleUser(db(), supplierId, "member");
    const memberCookie = await signedInCookie(db(), member.user.id, supplierId);
    expect((await postForm(teamRoute, context(), "/app/team", { intent: "change_role", user_id: member.user.id, role: "sales" }, { cookie })).status).toBe(303);
    const changed = await db().select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.type, "console.role_changed")));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.data).toEqual({ userId: member.user.id, from: "member", to: "sales" });
    expect((await getPage(homeRoute, context(), "/app", { cookie: memberCookie })).status).toBe(302);

    const again = await signedInCookie(db(), member.user.id, supplierId);
    expect((await postForm(teamRoute, context(), "/app/team", { intent: "remove", user_id: member.user.id }, { cookie })).status).toBe(303);
    expect((await getPage(homeRoute, context(), "/app", { cookie: again })).status).toBe(302);
    expect((await auditTypes(supplierId)).filter((t) => t === "console.member_removed")).toHaveLength(1);
  });

  it("the last owner can neither be demoted nor removed", async () => {
    const { cookie, owner } = await ownerOfNewSupplier();
    for (const fields of [{ intent: "change_role", role: "admin" }, { intent: "remove" }] as Record<string, string>[]) {
      const response = await postForm(teamRoute, context(), "/app/team", { ...fields, user_id: owner.user.id }, { cookie });
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ error: "console.team.error.last_owner" });
    }
  });

  it("when the team requires two-step sign-in, a member without it is sent to turn it on (C5)", async () => {
    const { supplierId, cookie } = await ownerOfNewSupplier();
    const member = await newConsoleUser(db(), supplierId, "member");
    const memberCookie = await signedInCookie(db(), member.user.id, supplierId);
    expect((await postForm(teamRoute, context(), "/app/team", { intent: "require_two_factor", required: "yes" }, { cookie })).status).toBe(303);
    const home = await getPage(homeRoute, context(), "/app", { cookie: memberCookie });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/app/account?two-factor=required");
    expect((await getPage(accountRoute, context(), "/app/account", { cookie: memberCookie })).status).toBe(200);
    const [row] = await db().select().from(users).where(eq(users.id, member.user.id));
    expect(row!.totpSecret).toBeNull();
    expect(await auditTypes(supplierId)).toContain("console.two_factor_required");
  });
});
