// Who may do what on the campaigns pages (security C7): a member reads campaigns but creates,
// starts and cancels nothing (403, nothing written); a sales user does not see them at all;
// another supplier's campaign is a 404 on the report, the export, start and cancel, every table
// unchanged.
import { describe, expect, it } from "vitest";
import { campaigns } from "../../../db/schema";
import * as listRoute from "~/routes/app.campaigns._index";
import * as reportRoute from "~/routes/app.campaigns.$id";
import * as csvRoute from "~/routes/app.campaigns.$id.answers[.]csv";
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

async function draftOf(supplierId: string) {
  const id = newPublicId("cmp");
  await db().insert(campaigns).values({ id, supplierId, name: "Kontroll", message: "Hej", audience: "all", deadline: new Date(Date.now() + 30 * 86_400_000) });
  return id;
}

async function world() {
  const mine = await newSupplier(db());
  const theirs = await newSupplier(db());
  const cookieOf = async (role: "owner" | "member" | "sales") => {
    const user = await newConsoleUser(db(), mine.supplierId, role);
    return signedInCookie(db(), user.user.id, mine.supplierId);
  };
  return {
    own: await draftOf(mine.supplierId),
    foreign: await draftOf(theirs.supplierId),
    owner: await cookieOf("owner"),
    member: await cookieOf("member"),
    sales: await cookieOf("sales"),
  };
}

const CREATE = { intent: "create", name: "Ny", message: "Hej", audience: "all", deadline: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) };

describe("roles", () => {
  it("a member reads the list and the report without forms; create, start and cancel are 403 with nothing written", async () => {
    const w = await world();
    const list = await getPage(listRoute, context(), "/app/campaigns", { cookie: w.member });
    expect(await list.json()).toMatchObject({ manage: false });
    const report = await getPage(reportRoute, context(), `/app/campaigns/${w.own}`, { cookie: w.member, params: { id: w.own } });
    expect(await report.json()).toMatchObject({ manage: false });
    expect((await getPage(csvRoute, context(), `/app/campaigns/${w.own}/answers.csv`, { cookie: w.member, params: { id: w.own } })).status).toBe(200);
    const before = await recordTables(db());
    expect((await postForm(listRoute, context(), "/app/campaigns", CREATE, { cookie: w.member })).status).toBe(403);
    for (const intent of ["start", "cancel"]) {
      const response = await postForm(reportRoute, context(), `/app/campaigns/${w.own}`, { intent }, { cookie: w.member, params: { id: w.own } });
      expect(response.status, intent).toBe(403);
    }
    expect(await recordTables(db())).toEqual(before);
  });
});

describe("another supplier's campaign → 404, every table unchanged", () => {
  it("report, export, start and cancel", async () => {
    const w = await world();
    const before = await recordTables(db());
    const params = { id: w.foreign };
    expect((await getPage(reportRoute, context(), `/app/campaigns/${w.foreign}`, { cookie: w.owner, params })).status).toBe(404);
    expect((await getPage(csvRoute, context(), `/app/campaigns/${w.foreign}/answers.csv`, { cookie: w.owner, params })).status).toBe(404);
    for (const intent of ["start", "cancel"]) {
      const response = await postForm(reportRoute, context(), `/app/campaigns/${w.foreign}`, { intent }, { cookie: w.owner, params });
      expect(response.status, intent).toBe(404);
    }
    expect(await recordTables(db())).toEqual(before);
    const list = (await (await getPage(listRoute, context(), "/app/campaigns", { cookie: w.owner })).json()) as { campaigns: { id: string }[] };
    expect(list.campaigns.map((c) => c.id)).toEqual([w.own]);
  });
});

describe("each role against every campaigns page and form, as the role table says", () => {
  it.each(CONSOLE_ROLES)("%s", async (role) => {
    const { supplierId } = await newSupplier(db());
    const user = await newConsoleUser(db(), supplierId, role);
    const cookie = await signedInCookie(db(), user.user.id, supplierId);
    const id = await draftOf(supplierId);
    const params = { id };
    const read = can(role, "campaigns.read") ? 200 : 403;
    expect((await getPage(listRoute, context(), "/app/campaigns", { cookie })).status).toBe(read);
    expect((await getPage(reportRoute, context(), `/app/campaigns/${id}`, { cookie, params })).status).toBe(read);
    expect((await getPage(csvRoute, context(), `/app/campaigns/${id}/answers.csv`, { cookie, params })).status).toBe(read);
    const posts = [
      () => postForm(listRoute, context(), "/app/campaigns", CREATE, { cookie }),
      () => postForm(reportRoute, context(), `/app/campaigns/${id}`, { intent: "start" }, { cookie, params }),
      () => postForm(reportRoute, context(), `/app/campaigns/${id}`, { intent: "cancel" }, { cookie, params }),
    ];
    for (const post of posts) {
      const before = await recordTables(db());
      const response = await post();
      if (can(role, "campaigns.manage")) {
        expect(response.status).toBe(303);
      } else {
        expect(response.status).toBe(403);
        expect(await recordTables(db())).toEqual(before);
      }
    }
  });
});
