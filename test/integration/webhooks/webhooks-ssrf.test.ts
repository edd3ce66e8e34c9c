// The SSRF guard (security.md J4): with WEBHOOK_ALLOW_PRIVATE_TARGETS off, no webhook reaches a
// loopback, private or link-local address, whether named by IP or by a host name. Local servers
// count the connections they accept: every refused target must leave them at 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { webhookDeliveries } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { TEST_LINK_KEYS, testConfig, testContext } from "../../support/context";
import { loadConfig } from "~/platform/config.server";
import { startReceiver, type Receiver } from "./webhooks-receiver";
import { drainJobs } from "~/platform/jobs/queue.server";
import { WEBHOOK_DELIVER_JOB } from "~/features/webhooks/webhook-deliver.job.server";
import { isBlockedAddress, postWebhook } from "~/integrations/webhook-http.server";
import { insertEndpoint } from "~/features/webhooks/db/webhooks.server";
import { createSupplierWithApiKey, OPERATOR } from "~/features/suppliers/suppliers.server";
import { createWebhookEndpoint, publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { generateWebhookSecret } from "~/domain/standard-webhooks";

const database = useTestDatabase();
const guarded = testConfig(); // WEBHOOK_ALLOW_PRIVATE_TARGETS defaults to false

let v4: Receiver;
let v6: Receiver | undefined;
beforeAll(async () => {
  v4 = await startReceiver("127.0.0.1");
  v6 = await startReceiver("::1").catch(() => undefined); // a machine without IPv6 loopback
});
afterAll(async () => {
  await v4.close();
  await v6?.close();
});

const connections = () => v4.connections() + (v6?.connections() ?? 0);

describe("WEBHOOK_ALLOW_PRIVATE_TARGETS", () => {
  it("is off by default and refused in production", () => {
    expect(guarded.webhookAllowPrivateTargets).toBe(false);
    const production = { NODE_ENV: "production", PUBLIC_BASE_URL: "https://pay.example.com", LINK_SIGNING_KEYS: TEST_LINK_KEYS };
    expect(() => loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
  });
});

describe("isBlockedAddress", () => {
  it.each([
    "10.0.0.1", "10.255.255.255", "127.0.0.1", "127.8.9.10", "169.254.169.254", "172.16.0.1", "172.31.255.255",
    "192.168.1.1", "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255",
    "198.18.0.1", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "::ffff:7f00:1", "64:ff9b::a00:1", "2002:7f00:1::1", "not-an-ip",
  ])("blocks %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "11.0.0.1", "2606:4700:4700::1111", "2a00:1450:4001::1"])(
    "allows the public address %s",
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );
});

describe("postWebhook with the guard on", () => {
  const targets = () => [
    "http://10.0.0.1/hooks",
    "http://169.254.169.254/latest/meta-data/",
    `http://127.0.0.1:${v4.port}/hooks`,
    `http://0x7f.1:${v4.port}/hooks`, // 127.0.0.1 spelled otherwise
    `http://[::1]:${v6?.port ?? v4.port}/hooks`,
    `http://[::ffff:127.0.0.1]:${v4.port}/hooks`,
    `http://localhost:${v4.port}/hooks`, // a host name that resolves to loopback
  ];

  it("refuses every private target without opening a connection", async () => {
    for (const url of targets()) {
      const result = await postWebhook({ url, headers: {}, body: "{}", timeoutMs: 2000, allowPrivateTargets: false });
      expect(result, url).toMatchObject({ ok: false, kind: "refused" });
    }
    expect(connections()).toBe(0);
    expect(v4.requests).toEqual([]);
  });

  it("reaches the same local receiver when private targets are allowed (so the refusals above are the guard's)", async () => {
    const before = v4.requests.length;
    const result = await postWebhook({
      url: `http://localhost:${v4.port}/allowed`, headers: {}, body: "{}", timeoutMs: 2000, allowPrivateTargets: true,
    });
    expect(result).toEqual({ ok: true, status: 200 });
    expect(v4.requests.length + (v6?.requests.length ?? 0)).toBe(before + 1);
  });
});

describe("the webhook.deliver job with the guard on", () => {
  it("marks deliveries to private targets failed, sends nothing, and does not retry them", async () => {
    const created = await createSupplierWithApiKey(database.get().db, { name: "SSRF Test AB" }, OPERATOR);
    if (!created.ok) throw new Error("supplier");
    const supplierId = created.supplier.id;
    const { db } = database.get();
    // Stored directly: the API refuses these URLs already (tested below), but a URL's host name
    // may start resolving to a private address long after it was registered.
    for (const url of ["http://10.0.0.1/hooks", "http://169.254.169.254/", `http://127.0.0.1:${v4.port}/`, `http://localhost:${v4.port}/`]) {
      await insertEndpoint(db, { supplierId, url, secret: generateWebhookSecret(), eventTypes: null });
    }
    const before = connections();
    const { messageId } = await publishWebhookEvent(db, { supplierId, type: "invoice.paid", payload: {} });

    expect(await drainJobs(testContext(database.get(), guarded).app, { names: [WEBHOOK_DELIVER_JOB] })).toBe(4);
    expect(connections()).toBe(before);
    const deliveries = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.messageId, messageId));
    expect(deliveries).toHaveLength(4);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null, deliveredAt: null });
      expect(delivery.lastError).toMatch(/^refused: /);
    }
    // Nothing left to retry.
    expect(await drainJobs(testContext(database.get(), guarded).app, { names: [WEBHOOK_DELIVER_JOB] })).toBe(0);
  });

  it("refuses IP addresses and local names already when an endpoint is registered", async () => {
    const created = await createSupplierWithApiKey(database.get().db, { name: "SSRF Register AB" }, OPERATOR);
    if (!created.ok) throw new Error("supplier");
    const rules = { isProduction: false, allowPrivateTargets: false };
    for (const url of ["http://10.0.0.1/", "https://169.254.169.254/", "http://[::1]/", "http://localhost:3000/", "https://db.internal/"]) {
      const result = await createWebhookEndpoint(database.get().db, rules, created.supplier.id, { url }, OPERATOR);
      expect(result, url).toMatchObject({ ok: false, reason: "invalid", errors: [{ field: "url" }] });
    }
  });
});
