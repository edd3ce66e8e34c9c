// Webhook endpoints from the console (/app/settings/webhooks): an admin adds one (the signing
// secret shown once), turns it off, reads its delivery log and sends a delivery again, each audited
// with the user; member and sales may not open the pages; another supplier's endpoint or delivery
// is a 404 with nothing written.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { events, webhookEndpoints } from "../../../db/schema";
import * as listRoute from "~/routes/app.settings.webhooks._index";
import * as logRoute from "~/routes/app.settings.webhooks.$id";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { can, CONSOLE_ROLES } from "~/domain/console-roles";
import { newPublicId } from "~/domain/public-id";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());
const PATH = "/app/settings/webhooks";

const webhookTables = async () =>
  (await db().execute(sql`
    select (select string_agg(concat_ws('|', id, url, enabled), ',' order by id) from webhook_endpoints) as endpoints,
           (select string_agg(concat_ws('|', id, status, attempts), ',' order by id) from webhook_deliveries) as deliveries,
           (select count(*) from events) as events,
           (select count(*) from pgboss.job) as jobs`))[0];

async function signedIn(role: (typeof CONSOLE_ROLES)[number]) {
  const supplier = await newSupplier(db());
  const user = await newConsoleUser(db(), supplier.supplierId, role);
  return { ...supplier, user, cookie: await signedInCookie(db(), user.user.id, supplier.supplierId) };
}

/** An endpoint with one delivery in its log. */
async function endpointWithDelivery(supplierId: string) {
  const [endpoint] = await db().insert(webhookEndpoints).values({ id: newPublicId("whe"), supplierId, url: "https://erp.example.test/hooks", secret: "whsec_test", enabled: true }).returning();
  await publishWebhookEvent(db(), { supplierId, type: "invoice.paid", payload: { invoice_id: "inv_x" } });
  const [delivery] = await db().execute<{ id: string }>(sql`select id from webhook_deliveries where endpoint_id = ${endpoint!.id}`);
  return { endpointId: endpoint!.id, deliveryId: delivery!.id };
}

describe("an admin's webhook endpoints", () => {
  it("adds one (secret shown once), turns it off, reads its log and sends a delivery again, all audited", async () => {
    const s = await signedIn("admin");
    const refused = await postForm(listRoute, context(), PATH, { intent: "create", url: "ftp://nope", event_types: "not a type!" }, { cookie: s.cookie });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ errors: { url: "console.webhooks.error.url", event_types: "console.webhooks.error.eventTypes" } });

    const created = await postForm(listRoute, context(), PATH, { intent: "create", url: "https://erp.example.test/hooks", event_types: "invoice.paid, contact.updated" }, { cookie: s.cookie });
    expect(created.status).toBe(200);
    const { created: endpoint } = (await created.json()) as { created: { id: string; secret: string } };
    expect(endpoint.secret).toMatch(/^whsec_/);
    const page = await (await getPage(listRoute, context(), PATH, { cookie: s.cookie })).text();
    expect(page).toContain("contact.updated");
    expect(page).not.toContain(endpoint.secret);

    expect((await postForm(listRoute, context(), PATH, { intent: "enable", endpoint_id: endpoint.id, enabled: "no" }, { cookie: s.cookie })).status).toBe(303);
    const [row] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.enabled).toBe(false);

    const { endpointId, deliveryId } = await endpointWithDelivery(s.supplierId);
    const log = (await (await getPage(logRoute, context(), `${PATH}/${endpointId}`, { cookie: s.cookie, params: { id: endpointId } })).json()) as { edit: boolean; deliveries: { data: { id: string; event_type: string }[] } };
    expect(log.edit).toBe(true);
    expect(log.deliveries.data).toEqual([expect.objectContaining({ id: deliveryId, event_type: "invoice.paid" })]);
    expect((await postForm(logRoute, context(), `${PATH}/${endpointId}`, { intent: "replay", delivery_id: deliveryId }, { cookie: s.cookie, params: { id: endpointId } })).status).toBe(303);

    const audit = await db().select().from(events).where(and(eq(events.supplierId, s.supplierId), eq(events.actor, "user")));
    expect(audit.map((e) => e.type).sort()).toEqual(["webhook_delivery.replayed", "webhook_endpoint.created", "webhook_endpoint.updated"]);
    expect(new Set(audit.map((e) => e.actorId))).toEqual(new Set([s.user.user.id]));
  });

  it("another supplier's endpoint and delivery → 404, every table unchanged", async () => {
    const s = await signedIn("owner");
    const other = await newSupplier(db());
    const theirs = await endpointWithDelivery(other.supplierId);
    const mine = await endpointWithDelivery(s.supplierId);
    const before = await webhookTables();
    const params = { id: theirs.endpointId };
    expect((await getPage(logRoute, context(), `${PATH}/${theirs.endpointId}`, { cookie: s.cookie, params })).status).toBe(404);
    for (const fields of [{ intent: "enable", endpoint_id: theirs.endpointId, enabled: "no" }, { intent: "remove", endpoint_id: theirs.endpointId }] as Record<string, string>[]) {
      expect((await postForm(listRoute, context(), PATH, fields, { cookie: s.cookie })).status).toBe(404);
    }
    expect((await postForm(logRoute, context(), `${PATH}/${theirs.endpointId}`, { intent: "replay", delivery_id: theirs.deliveryId }, { cookie: s.cookie, params })).status).toBe(404);
    // Their delivery under our endpoint's URL: still not ours.
    const ours = { id: mine.endpointId };
    expect((await postForm(logRoute, context(), `${PATH}/${mine.endpointId}`, { intent: "replay", delivery_id: theirs.deliveryId }, { cookie: s.cookie, params: ours })).status).toBe(404);
    expect(await webhookTables()).toEqual(before);
  });
});

describe("each role against the webhook pages and forms", () => {
  it.each(CONSOLE_ROLES)("%s", async (role) => {
    const s = await signedIn(role);
    const { endpointId, deliveryId } = await endpointWithDelivery(s.supplierId);
    const read = can(role, "settings.read") ? 200 : 403;
    expect((await getPage(listRoute, context(), PATH, { cookie: s.cookie })).status).toBe(read);
    expect((await getPage(logRoute, context(), `${PATH}/${endpointId}`, { cookie: s.cookie, params: { id: endpointId } })).status).toBe(read);
    if (can(role, "settings.edit")) return;
    const before = await webhookTables();
    expect((await postForm(listRoute, context(), PATH, { intent: "create", url: "https://erp.example.test/x" }, { cookie: s.cookie })).status).toBe(403);
    expect((await postForm(listRoute, context(), PATH, { intent: "remove", endpoint_id: endpointId }, { cookie: s.cookie })).status).toBe(403);
    expect((await postForm(logRoute, context(), `${PATH}/${endpointId}`, { intent: "replay", delivery_id: deliveryId }, { cookie: s.cookie, params: { id: endpointId } })).status).toBe(403);
    expect(await webhookTables()).toEqual(before);
  });
});
