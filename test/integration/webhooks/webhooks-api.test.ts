// The webhook endpoints API as an integrating supplier uses it: register (secret shown once),
// list, change, remove, read the delivery log and replay, each only for the key's own supplier.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { startReceiver, type Receiver } from "./webhooks-receiver";
import * as collection from "~/routes/api.v1.webhook-endpoints";
import * as single from "~/routes/api.v1.webhook-endpoints.$id";
import * as deliveries from "~/routes/api.v1.webhook-endpoints.$id.deliveries";
import * as replay from "~/routes/api.v1.webhook-endpoints.$id.deliveries.$deliveryId.replay";
import { drainJobs } from "~/platform/jobs/queue.server";
import { WEBHOOK_DELIVER_JOB } from "~/features/webhooks/webhook-deliver.job.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

const database = useTestDatabase();
const config = testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
const context = () => testContext(database.get(), config);
const drain = () => drainJobs(context().app, { names: [WEBHOOK_DELIVER_JOB] });

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

type Call = { method?: string; path: string; params?: Record<string, string>; json?: unknown; ctx?: ReturnType<typeof context> };
const as = (key: string) => (fn: Parameters<typeof callRoute>[0], call: Call) =>
  callRoute(fn, call.ctx ?? context(), { ...call, headers: { authorization: `Bearer ${key}` } });

type Endpoint = { id: string; url: string; event_types: string[] | null; enabled: boolean; created_at: string; secret?: string };
type Problem = { status: number; title: string; errors: { field: string; message: string }[] };

async function create(key: string, json: unknown): Promise<Endpoint> {
  const response = await as(key)(collection.action, { method: "POST", path: "/api/v1/webhook-endpoints", json });
  expect(response.status).toBe(201);
  return (await response.json()) as Endpoint;
}

describe("POST and GET /api/v1/webhook-endpoints", () => {
  it("shows the signing secret once, at creation, and never in GET, list or the audit log", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { audited: true });
    const response = await as(key)(collection.action, {
      method: "POST", path: "/api/v1/webhook-endpoints", json: { url: "https://erp.example.com/hooks", event_types: ["invoice.paid"] },
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Endpoint;
    expect(created).toMatchObject({ url: "https://erp.example.com/hooks", event_types: ["invoice.paid"], enabled: true });
    expect(created.id).toMatch(/^whe_/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(response.headers.get("location")).toBe(`https://pay.example.test/api/v1/webhook-endpoints/${created.id}`);

    const got = await as(key)(single.loader, { path: `/api/v1/webhook-endpoints/${created.id}`, params: { id: created.id } });
    expect(got.status).toBe(200);
    const shown = (await got.json()) as Endpoint;
    expect(shown).toEqual({ ...created, secret: undefined });
    expect(Object.keys(shown)).not.toContain("secret");

    const listed = await as(key)(collection.loader, { path: "/api/v1/webhook-endpoints" });
    const list = (await listed.json()) as { data: Endpoint[] };
    expect(list.data.map((endpoint) => endpoint.id)).toEqual([created.id]);
    expect(JSON.stringify(list)).not.toContain(created.secret!.slice(6));

    const logged = await database.get().db.select().from(events).where(eq(events.supplierId, supplierId)).orderBy(asc(events.seq));
    expect(logged.map((event) => event.type)).toContain("webhook_endpoint.created");
    expect(JSON.stringify(logged)).not.toContain(created.secret!.slice(6));
  });

  it("answers 422 problem+json naming each wrong field, and writes nothing", async () => {
    const { key } = await newSupplier(database.get().db, { audited: true });
    const response = await as(key)(collection.action, {
      method: "POST",
      path: "/api/v1/webhook-endpoints",
      json: { url: "ftp://erp.example.com", event_types: ["invoice.paid", "Invoice Paid!"], secret: "mine" },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as Problem;
    expect(problem.errors.map((error) => error.field).sort()).toEqual(["(body)", "event_types[1]", "url"]);
    const list = await as(key)(collection.loader, { path: "/api/v1/webhook-endpoints" });
    expect(await list.json()).toEqual({ data: [] });

    const missing = await as(key)(collection.action, { method: "POST", path: "/api/v1/webhook-endpoints", json: {} });
    expect(((await missing.json()) as Problem).errors).toEqual([{ field: "url", message: "url is required" }]);
  });

  it("accepts only https URLs in production", async () => {
    const { key } = await newSupplier(database.get().db, { audited: true });
    const production = testContext(database.get(), { ...testConfig(), isProduction: true, env: "production" });
    const refused = await as(key)(collection.action, {
      method: "POST", path: "/api/v1/webhook-endpoints", json: { url: "http://erp.example.com/hooks" }, ctx: production,
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Problem).errors).toEqual([{ field: "url", message: "url must use https" }]);
    const accepted = await as(key)(collection.action, {
      method: "POST", path: "/api/v1/webhook-endpoints", json: { url: "https://erp.example.com/hooks" }, ctx: production,
    });
    expect(accepted.status).toBe(201);
  });

  it("refuses a request without a valid API key", async () => {
    const response = await callRoute(collection.loader, context(), { path: "/api/v1/webhook-endpoints" });
    expect(response.status).toBe(401);
  });
});

describe("PATCH and DELETE /api/v1/webhook-endpoints/:id", () => {
  it("changes url, event types and enabled; a disabled endpoint gets no deliveries", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { audited: true });
    const endpoint = await create(key, { url: receiver.url("/before") });
    const path = `/api/v1/webhook-endpoints/${endpoint.id}`;
    const patch = (json: unknown) => as(key)(single.action, { method: "PATCH", path, params: { id: endpoint.id }, json });

    const changed = await patch({ url: receiver.url("/after"), event_types: ["invoice.paid"] });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ url: receiver.url("/after"), event_types: ["invoice.paid"], enabled: true });
    expect((await patch({ event_types: null })).status).toBe(200);

    const disabled = await patch({ enabled: false });
    expect(await disabled.json()).toMatchObject({ enabled: false, event_types: null });
    await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: {} });
    await drain();
    expect(receiver.requests.filter((request) => request.path === "/after")).toEqual([]);

    const empty = await patch({});
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as Problem).errors[0]!.message).toMatch(/at least one/);
    const badType = await patch({ enabled: "no" });
    expect(((await badType.json()) as Problem).errors).toEqual([{ field: "enabled", message: "enabled must be true or false" }]);
  });

  it("removes an endpoint with its delivery log", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { audited: true });
    const endpoint = await create(key, { url: receiver.url("/removed") });
    await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: {} });
    const path = `/api/v1/webhook-endpoints/${endpoint.id}`;

    const removed = await as(key)(single.action, { method: "DELETE", path, params: { id: endpoint.id } });
    expect(removed.status).toBe(204);
    expect((await as(key)(single.loader, { path, params: { id: endpoint.id } })).status).toBe(404);
    expect((await as(key)(single.action, { method: "DELETE", path, params: { id: endpoint.id } })).status).toBe(404);
    // The delivery queued before the removal finds nothing to send.
    await drain();
    expect(receiver.requests.filter((request) => request.path === "/removed")).toEqual([]);
  });
});

describe("tenant isolation", () => {
  it("answers 404 for another supplier's endpoint on every route, and changes nothing", async () => {
    const owner = await newSupplier(database.get().db, { name: "Owner AB", audited: true });
    const other = await newSupplier(database.get().db, { name: "Other AB", audited: true });
    const endpoint = await create(owner.key, { url: receiver.url("/owned") });
    await publishWebhookEvent(database.get().db, { supplierId: owner.supplierId, type: "invoice.paid", payload: {} });
    const path = `/api/v1/webhook-endpoints/${endpoint.id}`;
    const params = { id: endpoint.id };
    const log = await as(owner.key)(deliveries.loader, { path: `${path}/deliveries`, params });
    const [delivery] = ((await log.json()) as { data: { id: string }[] }).data;

    const attempts = [
      await as(other.key)(single.loader, { path, params }),
      await as(other.key)(single.action, { method: "PATCH", path, params, json: { enabled: false } }),
      await as(other.key)(single.action, { method: "DELETE", path, params }),
      await as(other.key)(deliveries.loader, { path: `${path}/deliveries`, params }),
      await as(other.key)(replay.action, {
        method: "POST", path: `${path}/deliveries/${delivery!.id}/replay`, params: { ...params, deliveryId: delivery!.id },
      }),
    ];
    expect(attempts.map((response) => response.status)).toEqual([404, 404, 404, 404, 404]);
    expect(await (await as(other.key)(collection.loader, { path: "/api/v1/webhook-endpoints" })).json()).toEqual({ data: [] });
    expect(await (await as(owner.key)(single.loader, { path, params })).json()).toMatchObject({ enabled: true });
  });
});

describe("the delivery log and replay", () => {
  it("shows each attempt's outcome and replays a failed delivery on request", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { audited: true });
    const endpoint = await create(key, { url: receiver.url("/log") });
    const params = { id: endpoint.id };
    const logPath = `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`;
    receiver.answer({ status: 503 });
    const first = await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.disputed", payload: {} });
    await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: {} });
    await drain();

    const page = await as(key)(deliveries.loader, { path: `${logPath}?limit=1`, params });
    expect(page.status).toBe(200);
    const newest = (await page.json()) as { data: Record<string, unknown>[]; next_cursor: string | null };
    expect(newest.data).toHaveLength(1);
    expect(newest.data[0]).toMatchObject({ event_type: "invoice.paid", status: "pending", attempts: 1, last_status_code: 503, last_error: "HTTP 503" });
    expect(newest.next_cursor).toMatch(/^whd_/);
    const older = await as(key)(deliveries.loader, { path: `${logPath}?limit=1&cursor=${newest.next_cursor}`, params });
    const second = (await older.json()) as { data: { id: string; message_id: string }[]; next_cursor: string | null };
    expect(second.data.map((delivery) => delivery.message_id)).toEqual([first.messageId]);
    expect(second.next_cursor).toBeNull();

    const badQuery = await as(key)(deliveries.loader, { path: `${logPath}?limit=500`, params });
    expect(badQuery.status).toBe(422);
    expect(((await badQuery.json()) as Problem).errors[0]!.field).toBe("limit");

    receiver.answer({ status: 200 });
    const deliveryId = second.data[0]!.id;
    const replayPath = `${logPath}/${deliveryId}/replay`;
    const replayed = await as(key)(replay.action, { method: "POST", path: replayPath, params: { ...params, deliveryId } });
    expect(replayed.status).toBe(202);
    expect(await replayed.json()).toMatchObject({ id: deliveryId, status: "pending", attempts: 1 });
    expect(await drain()).toBe(1);
    const after = await as(key)(deliveries.loader, { path: logPath, params });
    const rows = ((await after.json()) as { data: { id: string; status: string; attempts: number; delivered_at: string | null }[] }).data;
    expect(rows.find((row) => row.id === deliveryId)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(receiver.requests.filter((request) => request.path === "/log")).toHaveLength(3);

    const unknown = await as(key)(replay.action, {
      method: "POST", path: `${logPath}/whd_0000000000000000000000/replay`, params: { ...params, deliveryId: "whd_0000000000000000000000" },
    });
    expect(unknown.status).toBe(404);
    expect((await as(key)(replay.loader, { path: replayPath })).status).toBe(405);
  });
});
