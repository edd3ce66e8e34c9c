// Publishing and delivering webhooks end to end: real PostgreSQL, the real pg-boss queue, a real
// HTTP receiver on 127.0.0.1, and signatures checked by the independent `standardwebhooks` package.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { webhookDeliveries, webhookMessages } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { startReceiver, type Receiver } from "./webhooks-receiver";
import { drainJobs } from "~/platform/jobs/queue.server";
import {
  deliverWebhook, enqueueWebhookDelivery, WEBHOOK_DELIVER_JOB, WEBHOOK_RETRY_DELAY_SECONDS,
} from "~/features/webhooks/webhook-deliver.job.server";
import { createSupplierWithApiKey, OPERATOR } from "~/features/suppliers/suppliers.server";
import { createWebhookEndpoint, publishWebhookEvent, replayWebhookDelivery } from "~/features/webhooks/webhooks.server";

const database = useTestDatabase();
const config = testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
const services = () => testContext(database.get(), config).app;
const drain = () => drainJobs(services(), { names: [WEBHOOK_DELIVER_JOB] });
const rules = { isProduction: false, allowPrivateTargets: true };

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

async function supplierWithEndpoint(url: string, eventTypes?: string[]) {
  const created = await createSupplierWithApiKey(database.get().db, { name: "Webhook Test AB" }, OPERATOR);
  if (!created.ok) throw new Error("supplier");
  const supplierId = created.supplier.id;
  const endpoint = await createWebhookEndpoint(database.get().db, rules, supplierId, { url, event_types: eventTypes }, OPERATOR);
  if (!endpoint.ok) throw new Error(JSON.stringify(endpoint));
  return { supplierId, endpointId: endpoint.endpoint.id, secret: endpoint.endpoint.secret! };
}

async function deliveriesOf(messageId: string) {
  return database.get().db.select().from(webhookDeliveries).where(eq(webhookDeliveries.messageId, messageId));
}

async function jobOf(deliveryId: string) {
  const rows = (await database.get().db.execute(sql`
    select state, start_after > now() + make_interval(secs => ${WEBHOOK_RETRY_DELAY_SECONDS - 1}) as later,
      start_after < now() + make_interval(secs => ${2 * WEBHOOK_RETRY_DELAY_SECONDS + 1}) as within_backoff
    from pgboss.job where name = ${WEBHOOK_DELIVER_JOB} and data->>'deliveryId' = ${deliveryId}
    order by created_on`)) as unknown as { state: string; later: boolean; within_backoff: boolean }[];
  return rows;
}

async function countJobs(): Promise<number> {
  const [row] = (await database.get().db.execute(
    sql`select count(*)::int as count from pgboss.job where name = ${WEBHOOK_DELIVER_JOB}`,
  )) as unknown as { count: number }[];
  return row!.count;
}

/** Lets the retry's time come, as if the backoff had passed. */
async function fastForward(deliveryId: string) {
  const { db } = database.get();
  await db.execute(sql`update pgboss.job set start_after = now() where name = ${WEBHOOK_DELIVER_JOB} and data->>'deliveryId' = ${deliveryId} and state = 'retry'`);
  await db.update(webhookDeliveries).set({ nextAttemptAt: sql`now()` }).where(eq(webhookDeliveries.id, deliveryId));
}

const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);

describe("publishWebhookEvent and the webhook.deliver job", () => {
  it("delivers a signed event that the standardwebhooks package verifies, once even when drained twice", async () => {
    receiver.answer({ status: 204 });
    const { supplierId, secret } = await supplierWithEndpoint(receiver.url("/signed"));
    const { messageId } = await publishWebhookEvent(database.get().db, {
      supplierId,
      type: "invoice.confirmed",
      payload: { invoice_id: "inv_123", confirmed_by: "Anna Payer" },
    });

    expect(await drain()).toBe(1);
    expect(await drain()).toBe(0);
    const received = requestsTo("/signed");
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["webhook-id"]).toBe(messageId);
    const verified = new Webhook(secret).verify(request!.body, request!.headers) as Record<string, unknown>;
    expect(verified).toMatchObject({ type: "invoice.confirmed", data: { invoice_id: "inv_123", confirmed_by: "Anna Payer" } });
    expect(Date.parse(verified.timestamp as string)).not.toBeNaN();
    // Signed with another secret, the same request does not verify.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(request!.body, request!.headers)).toThrow();

    const [delivery] = await deliveriesOf(messageId);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 204, lastError: null, nextAttemptAt: null });
    expect(delivery!.deliveredAt).toBeInstanceOf(Date);

    // A duplicate job for the delivered message sends nothing more.
    await enqueueWebhookDelivery(database.get().db, delivery!.id);
    expect(await drain()).toBe(1);
    expect(requestsTo("/signed")).toHaveLength(1);
  });

  it("sends once when three workers run duplicate jobs of one delivery at the same time", async () => {
    receiver.answer({ status: 200 });
    const { supplierId } = await supplierWithEndpoint(receiver.url("/concurrent"));
    const { messageId } = await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: {} });
    const [delivery] = await deliveriesOf(messageId);

    // The handler itself, three times at once, as workers in three processes would run it.
    await Promise.all([1, 2, 3].map(() => deliverWebhook(services(), { deliveryId: delivery!.id, attemptsBefore: 0 })));
    expect(requestsTo("/concurrent")).toHaveLength(1);
    expect(await drain()).toBe(1); // the queued job finds the delivery done
    expect(requestsTo("/concurrent")).toHaveLength(1);
    expect((await deliveriesOf(messageId))[0]).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("writes and sends nothing when the publishing transaction rolls back", async () => {
    const { supplierId } = await supplierWithEndpoint(receiver.url("/rolled-back"));
    const { db } = database.get();
    const jobsBefore = await countJobs();
    let messageId = "";
    await expect(
      db.transaction(async (tx) => {
        ({ messageId } = await publishWebhookEvent(tx, { supplierId, type: "invoice.disputed", payload: { reason: "wrong amount" } }));
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");

    expect(messageId).toMatch(/^whm_/);
    expect(await db.select().from(webhookMessages).where(eq(webhookMessages.supplierId, supplierId))).toEqual([]);
    expect(await deliveriesOf(messageId)).toEqual([]);
    expect(await countJobs()).toBe(jobsBefore);
    await drain();
    expect(requestsTo("/rolled-back")).toEqual([]);
  });

  it("gives an endpoint only the event types it asked for, and a disabled endpoint nothing", async () => {
    receiver.answer({ status: 200 });
    const { supplierId } = await supplierWithEndpoint(receiver.url("/only-paid"), ["invoice.paid"]);
    const { db } = database.get();
    const all = await createWebhookEndpoint(db, rules, supplierId, { url: receiver.url("/all") }, OPERATOR);
    const off = await createWebhookEndpoint(db, rules, supplierId, { url: receiver.url("/off"), enabled: false }, OPERATOR);
    expect(all.ok && off.ok).toBe(true);

    const disputed = await publishWebhookEvent(db, { supplierId, type: "invoice.disputed", payload: { n: 1 } });
    const paid = await publishWebhookEvent(db, { supplierId, type: "invoice.paid", payload: { n: 2 } });
    expect(await deliveriesOf(disputed.messageId)).toHaveLength(1);
    expect(await deliveriesOf(paid.messageId)).toHaveLength(2);
    await drain();

    const types = (path: string) => requestsTo(path).map((request) => (JSON.parse(request.body) as { type: string }).type);
    expect(types("/only-paid")).toEqual(["invoice.paid"]);
    expect(types("/all").sort()).toEqual(["invoice.disputed", "invoice.paid"]);
    expect(types("/off")).toEqual([]);
  });

  it("records a 500 and leaves the delivery pending with a retry scheduled by backoff, which then succeeds", async () => {
    receiver.answer({ status: 500 });
    const { supplierId } = await supplierWithEndpoint(receiver.url("/flaky"));
    const { messageId } = await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: {} });

    expect(await drain()).toBe(1);
    const [failed] = await deliveriesOf(messageId);
    expect(failed).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500", deliveredAt: null });
    expect(failed!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + (WEBHOOK_RETRY_DELAY_SECONDS - 2) * 1000);
    expect(await jobOf(failed!.id)).toEqual([{ state: "retry", later: true, within_backoff: true }]);
    // Not due yet: draining again sends nothing.
    expect(await drain()).toBe(0);
    expect(requestsTo("/flaky")).toHaveLength(1);

    receiver.answer({ status: 200 });
    await fastForward(failed!.id);
    expect(await drain()).toBe(1);
    expect(requestsTo("/flaky")).toHaveLength(2);
    // Every attempt of one message carries the same webhook-id, so the receiver can deduplicate.
    expect(new Set(requestsTo("/flaky").map((request) => request.headers["webhook-id"]))).toEqual(new Set([messageId]));
    expect((await deliveriesOf(messageId))[0]).toMatchObject({ status: "succeeded", attempts: 2, lastStatusCode: 200, lastError: null });
    expect(await jobOf(failed!.id)).toMatchObject([{ state: "completed" }]);
  });

  it("never follows a redirect: a 302 is a failed attempt and its target receives nothing", async () => {
    const target = await startReceiver();
    try {
      receiver.answer({ status: 302, headers: { location: target.url("/stolen") } });
      const { supplierId } = await supplierWithEndpoint(receiver.url("/redirecting"));
      const { messageId } = await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: {} });
      await drain();

      expect(requestsTo("/redirecting")).toHaveLength(1);
      expect(target.connections()).toBe(0);
      expect(target.requests).toEqual([]);
      const [delivery] = await deliveriesOf(messageId);
      expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 302 });
      expect(delivery!.lastError).toMatch(/redirects are not followed/);
    } finally {
      await target.close();
    }
  });

  it("gives up an attempt at WEBHOOK_TIMEOUT_MS and schedules a retry", async () => {
    receiver.answer("hang");
    const { supplierId } = await supplierWithEndpoint(receiver.url("/slow"));
    const { messageId } = await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: {} });
    const started = Date.now();
    await drainJobs(testContext(database.get(), testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", WEBHOOK_TIMEOUT_MS: "1000" })).app, {
      names: [WEBHOOK_DELIVER_JOB],
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(requestsTo("/slow")).toHaveLength(1);
    const [delivery] = await deliveriesOf(messageId);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
    expect(delivery!.lastError).toMatch(/no response within 1000 ms/);
    receiver.answer({ status: 200 });
  });

  it("replays a delivered message on request, with the same webhook-id", async () => {
    receiver.answer({ status: 200 });
    const { supplierId, endpointId } = await supplierWithEndpoint(receiver.url("/replayed"));
    const { messageId } = await publishWebhookEvent(database.get().db, { supplierId, type: "invoice.paid", payload: { n: 1 } });
    await drain();
    const [delivery] = await deliveriesOf(messageId);

    const replayed = await replayWebhookDelivery(database.get().db, supplierId, endpointId, delivery!.id, OPERATOR);
    expect(replayed).toMatchObject({ ok: true, delivery: { id: delivery!.id, status: "pending", attempts: 1 } });
    expect(await drain()).toBe(1);
    expect(requestsTo("/replayed").map((request) => request.headers["webhook-id"])).toEqual([messageId, messageId]);
    expect((await deliveriesOf(messageId))[0]).toMatchObject({ status: "succeeded", attempts: 2 });
  });
});
