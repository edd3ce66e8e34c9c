// API keys from the console (/app/settings/api-keys): an owner creates one (shown once, in the
// answer to that POST; the page afterwards shows only its prefix) and revokes one, each on the
// audit log with the user; an admin sees the keys but changes none, member and sales not even
// that; another supplier's key is a 404. Nothing is written by a refused request.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { events } from "../../../db/schema";
import * as keysRoute from "~/routes/app.settings.api-keys";
import { findActiveApiKey } from "~/api/db/api-keys.server";
import { can, CONSOLE_ROLES } from "~/domain/console-roles";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());
const PATH = "/app/settings/api-keys";

const keyTables = async () =>
  (await db().execute(sql`
    select (select string_agg(concat_ws('|', id, name, revoked_at), ',' order by id) from api_keys) as keys,
           (select count(*) from events) as events`))[0];

async function signedIn(role: (typeof CONSOLE_ROLES)[number]) {
  const supplier = await newSupplier(db());
  const user = await newConsoleUser(db(), supplier.supplierId, role);
  return { ...supplier, user, cookie: await signedInCookie(db(), user.user.id, supplier.supplierId) };
}

describe("an owner's API keys", () => {
  it("creates a key shown once, which works until it is revoked; both audited with the user", async () => {
    const s = await signedIn("owner");
    const refused = await postForm(keysRoute, context(), PATH, { intent: "create", name: "  " }, { cookie: s.cookie });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: "console.apiKeys.error.name" });

    const created = await postForm(keysRoute, context(), PATH, { intent: "create", name: "ERP production" }, { cookie: s.cookie });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toContain("no-store");
    const { created: key } = (await created.json()) as { created: { key: string; prefix: string } };
    expect(key.key.startsWith(key.prefix)).toBe(true);
    expect((await findActiveApiKey(db(), key.key))?.supplierId).toBe(s.supplierId);

    const page = await (await getPage(keysRoute, context(), PATH, { cookie: s.cookie })).text();
    expect(page).toContain("ERP production");
    expect(page).not.toContain(key.key);
    const { keys } = JSON.parse(page) as { keys: { id: string; name: string }[] };
    const id = keys.find((k) => k.name === "ERP production")!.id;

    expect((await postForm(keysRoute, context(), PATH, { intent: "revoke", key_id: id }, { cookie: s.cookie })).status).toBe(303);
    expect(await findActiveApiKey(db(), key.key)).toBeFalsy();
    const audit = await db().select().from(events).where(and(eq(events.supplierId, s.supplierId), eq(events.actor, "user")));
    expect(audit.map((e) => [e.type, e.actorId]).sort()).toEqual([["api_key.created", s.user.user.id], ["api_key.revoked", s.user.user.id]]);
  });

  it("another supplier's key → 404, and it keeps working", async () => {
    const s = await signedIn("owner");
    const other = await newSupplier(db());
    const before = await keyTables();
    expect((await postForm(keysRoute, context(), PATH, { intent: "revoke", key_id: other.apiKeyId }, { cookie: s.cookie })).status).toBe(404);
    expect(await keyTables()).toEqual(before);
    expect((await findActiveApiKey(db(), other.key))?.supplierId).toBe(other.supplierId);
  });
});

describe("each role against the API keys page and its forms", () => {
  it.each(CONSOLE_ROLES)("%s", async (role) => {
    const s = await signedIn(role);
    expect((await getPage(keysRoute, context(), PATH, { cookie: s.cookie })).status).toBe(can(role, "settings.read") ? 200 : 403);
    if (can(role, "keys.manage")) return;
    const before = await keyTables();
    for (const fields of [{ intent: "create", name: "Mine" }, { intent: "revoke", key_id: s.apiKeyId }] as Record<string, string>[]) {
      expect((await postForm(keysRoute, context(), PATH, fields, { cookie: s.cookie })).status).toBe(403);
    }
    expect(await keyTables()).toEqual(before);
  });
});
