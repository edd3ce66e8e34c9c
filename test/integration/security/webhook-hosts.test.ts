// Security J4: `https://localhost./x` was accepted as a webhook URL: the
// registration check compared host names without their trailing dot, and only the delivery-time DNS
// check refused it. Trailing-dot names and every spelling of loopback are now refused when the
// endpoint is registered and again, by name and before any lookup, when a delivery is sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEndpointSchema } from "~/features/webhooks/api.schemas";
import { createWebhookEndpoint } from "~/features/webhooks/webhooks.server";
import { createSupplierWithApiKey, OPERATOR } from "~/features/suppliers/suppliers.server";
import { postWebhook } from "~/integrations/webhook-http.server";
import { useTestDatabase } from "../../support/database";
import { startReceiver, type Receiver } from "../webhooks/webhooks-receiver";

const database = useTestDatabase();
const GUARDED = { isProduction: true, allowPrivateTargets: false };

const LOOPBACK_AND_LOCAL = [
  "https://localhost./x",
  "https://LOCALHOST./x",
  "https://localhost../x",
  "https://app.localhost./x",
  "https://printer.local./x",
  "https://db.internal./x",
  "https://erp.example.com./x",
  "https://localhost/x",
  "https://intranet/x",
  "https://127.0.0.1/x",
  "https://127.0.0.1./x",
  "https://127.1/x",
  "https://0x7f.1/x",
  "https://0x7f000001/x",
  "https://017700000001/x",
  "https://2130706433/x",
  "https://[::1]/x",
  "https://[0:0:0:0:0:0:0:1]/x",
  "https://[::ffff:127.0.0.1]/x",
  "https://[::ffff:7f00:1]/x",
];

describe("registration refuses trailing-dot names and every loopback spelling", () => {
  it.each(LOOPBACK_AND_LOCAL)("%s → 422 on url", async (url) => {
    const created = await createSupplierWithApiKey(database.get().db, { name: "Hooks AB" }, OPERATOR);
    if (!created.ok) throw new Error("supplier");
    const result = await createWebhookEndpoint(database.get().db, GUARDED, created.supplier.id, { url }, OPERATOR);
    expect(result).toMatchObject({ ok: false, reason: "invalid", errors: [{ field: "url" }] });
  });

  it("still takes a public name, and a local one when WEBHOOK_ALLOW_PRIVATE_TARGETS is on", () => {
    expect(createEndpointSchema(GUARDED).safeParse({ url: "https://erp.example.com/hooks" }).success).toBe(true);
    const open = createEndpointSchema({ isProduction: false, allowPrivateTargets: true });
    for (const url of ["http://localhost./x", "http://127.0.0.1:3000/x", "http://[::1]/x"]) expect(open.safeParse({ url }).success, url).toBe(true);
  });
});

describe("delivery refuses them too, by name, before any lookup or connection", () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver("127.0.0.1");
  });
  afterAll(() => receiver.close());

  it.each(["localhost.", "LocalHost.", "app.localhost.", "localhost"])("http://%s:<port>/ → refused, no connection", async (host) => {
    const port = new URL(receiver.url()).port;
    const result = await postWebhook({ url: `http://${host}:${port}/hook`, headers: {}, body: "{}", timeoutMs: 2000, allowPrivateTargets: false });
    expect(result).toMatchObject({ ok: false, kind: "refused" });
    expect(receiver.connections()).toBe(0);
  });

  it("a public name with a trailing dot is refused without a DNS lookup", async () => {
    const result = await postWebhook({ url: "https://erp.example.com./hook", headers: {}, body: "{}", timeoutMs: 2000, allowPrivateTargets: false });
    expect(result).toEqual({ ok: false, kind: "refused", error: "url must not end its host name with a dot" });
  });
});
