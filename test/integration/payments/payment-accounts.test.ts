// GET /api/v1/payment-accounts, GET|PUT|DELETE /api/v1/payment-accounts/:provider: suppliers'
// Stripe and Adyen credentials, stored encrypted, never shown again, every change audited.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { customers, events, paymentAccounts } from "../../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { loader as listLoader, action as listAction } from "~/routes/api.v1.payment-accounts";
import { action, loader } from "~/routes/api.v1.payment-accounts.$provider";
import { findPaymentAccount } from "~/features/payments/db/payment-accounts.server";
import { decryptCredentials } from "~/platform/credentials.server";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { createInvoiceWithLink } from "../../support/fixtures";
import { newSupplier } from "../../support/suppliers";
import { applyUpdate, ledgerSnapshot } from "./payments-test-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;

const STRIPE = {
  secret_key: "sk_test_51AbCdEfGhIjKlMnOpQrStUv4242",
  webhook_secret: "whsec_9fJ2kLmN0pQrStUvWxYz1234abcd",
  methods: ["swish", "card"],
};

const ADYEN = {
  api_key: "AQEyhmfxLIjIaBdEw0m/n3Q5qf3VaY9UCJ1+XWZe9W27jmlZiv4PD4jhfNMofnLr2K5i8/0QwV1bDb7kfNy1WIxIIkxgBw==-lbAxa7c0",
  merchant_account: "NordljusECOM",
  environment: "test",
  hmac_key: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
  notification_username: "adyen-hooks",
  notification_password: "s3cret-Basic-Auth-pw",
  methods: ["card"],
};

const SECRETS = [STRIPE.secret_key, STRIPE.webhook_secret, ADYEN.api_key, ADYEN.hmac_key, ADYEN.notification_password];

type Caller = Awaited<ReturnType<typeof newSupplier>>;

function call(caller: Caller, method: string, provider: string, body?: unknown, appConfig = config) {
  const fn = method === "GET" ? loader : action;
  return callRoute(fn, testContext(database.get(), appConfig), {
    method,
    path: `/api/v1/payment-accounts/${provider}`,
    params: { provider },
    headers: caller.headers,
    ...(body === undefined ? {} : { json: body }),
  });
}

const list = (caller: Caller, appConfig = config) =>
  callRoute(listLoader, testContext(database.get(), appConfig), { path: "/api/v1/payment-accounts", headers: caller.headers });

function expectNoSecrets(text: string) {
  for (const secret of SECRETS) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(8, -4)); // nor the middle of one
  }
}

async function accountEvents(supplierId: string) {
  return db().select().from(events).where(eq(events.supplierId, supplierId)).orderBy(events.seq);
}

type Problem = { detail?: string; errors?: { field: string; message: string }[] };
const fieldsOf = async (response: Response) => ((await response.json()) as Problem).errors?.map((error) => error.field) ?? [];

describe("PUT /api/v1/payment-accounts/:provider", () => {
  it("stores Stripe keys encrypted and answers with hints and the webhook URL to register", async () => {
    const caller = await newSupplier(db());
    const response = await call(caller, "PUT", "stripe", STRIPE);
    expect(response.status).toBe(201);
    const text = await response.text();
    expectNoSecrets(text);
    const account = JSON.parse(text);
    expect(account).toMatchObject({
      provider: "stripe",
      methods: ["card", "swish"],
      credentials: { secret_key_hint: "sk_test_…4242", mode: "test", webhook_secret_hint: "whsec_…abcd" },
    });
    expect(account.id).toMatch(/^pac_/);
    expect(account.webhook_url).toBe(`${TEST_BASE_URL}/webhooks/stripe/${account.id}`);

    // At rest only ciphertext; the webhook route's lookup gets the real keys back.
    const [row] = await db().select().from(paymentAccounts).where(eq(paymentAccounts.id, account.id));
    expectNoSecrets(JSON.stringify(row));
    expect(decryptCredentials(config, row!.credentialsCiphertext)).toEqual({ secretKey: STRIPE.secret_key, webhookSecret: STRIPE.webhook_secret });
    const found = await findPaymentAccount(db(), config, "stripe", account.id);
    expect(found).toMatchObject({ supplierId: caller.supplier.id, methods: ["card", "swish"], credentials: { secretKey: STRIPE.secret_key } });

    const [event] = (await accountEvents(caller.supplier.id)).filter((row) => row.type === "payment_account.updated");
    expect(event).toMatchObject({ actor: "supplier", data: { account_id: account.id, provider: "stripe", created: true } });
    expectNoSecrets(JSON.stringify(event));
  });

  it("replaces the keys of the same account: same id and webhook URL, the event names what changed", async () => {
    const caller = await newSupplier(db());
    const first = await (await call(caller, "PUT", "stripe", STRIPE)).json();
    const rotated = { ...STRIPE, secret_key: "sk_live_51ZyXwVuTsRqPoNmLk9999" };
    const response = await call(caller, "PUT", "stripe", rotated);
    expect(response.status).toBe(200);
    const second = await response.json();
    expect(second).toMatchObject({ id: first.id, webhook_url: first.webhook_url, credentials: { secret_key_hint: "sk_live_…9999", mode: "live" } });
    const updates = (await accountEvents(caller.supplier.id)).filter((row) => row.type === "payment_account.updated");
    expect(updates.map((row) => row.data.changed)).toEqual([["credentials", "methods"], ["secret_key"]]);
    expect(JSON.stringify(updates)).not.toContain(rotated.secret_key);
    expect(await db().select().from(paymentAccounts).where(eq(paymentAccounts.supplierId, caller.supplier.id))).toHaveLength(1);
  });

  it("stores an Adyen account; live needs its URL prefix", async () => {
    const caller = await newSupplier(db());
    const response = await call(caller, "PUT", "adyen", ADYEN);
    expect(response.status).toBe(201);
    const text = await response.text();
    expectNoSecrets(text);
    const account = JSON.parse(text);
    expect(account).toMatchObject({
      provider: "adyen",
      methods: ["card"],
      credentials: {
        api_key_hint: "…a7c0", merchant_account: "NordljusECOM", environment: "test", live_url_prefix: null,
        hmac_key_hint: "…A056", notification_username: "adyen-hooks",
      },
    });
    expect(account.webhook_url).toBe(`${TEST_BASE_URL}/webhooks/adyen/${account.id}`);
    const found = await findPaymentAccount(db(), config, "adyen", account.id);
    expect(found?.credentials).toEqual({
      apiKey: ADYEN.api_key, merchantAccount: "NordljusECOM", environment: "test", liveUrlPrefix: null, hmacKey: ADYEN.hmac_key,
      notificationUsername: "adyen-hooks", notificationPassword: ADYEN.notification_password,
    });

    const live = await call(caller, "PUT", "adyen", { ...ADYEN, environment: "live" });
    expect(live.status).toBe(422);
    expect(await fieldsOf(live)).toEqual(["live_url_prefix"]);
    const withPrefix = await call(caller, "PUT", "adyen", { ...ADYEN, environment: "live", live_url_prefix: "1797a841fbb37ca7-NordljusAB" });
    expect(withPrefix.status).toBe(200);
    expect((await withPrefix.json()).credentials).toMatchObject({ environment: "live", live_url_prefix: "1797a841fbb37ca7-NordljusAB" });
  });

  it("answers 422 with the field paths for bad credentials, and stores nothing", async () => {
    const caller = await newSupplier(db());
    const before = await ledgerSnapshot(db());
    const cases: [string, Record<string, unknown>, string[]][] = [
      ["stripe", { ...STRIPE, secret_key: "pk_test_51AbCdEfGhIjKlMnOp" }, ["secret_key"]],
      ["stripe", { ...STRIPE, webhook_secret: "not-a-secret" }, ["webhook_secret"]],
      ["stripe", { ...STRIPE, methods: [] }, ["methods"]],
      ["stripe", { ...STRIPE, methods: ["paypal"] }, ["methods[0]"]],
      ["stripe", { ...STRIPE, colour: "red" }, ["colour"]],
      ["stripe", { webhook_secret: STRIPE.webhook_secret }, ["secret_key"]],
      ["adyen", { ...ADYEN, hmac_key: "xyz" }, ["hmac_key"]],
      ["adyen", { ...ADYEN, environment: "prod" }, ["environment"]],
      ["adyen", { ...ADYEN, notification_password: "" }, ["notification_password"]],
      ["adyen", { api_key: "k" }, ["merchant_account", "environment", "hmac_key", "notification_username", "notification_password"]],
    ];
    for (const [provider, body, fields] of cases) {
      const response = await call(caller, "PUT", provider, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      const text = await response.text();
      expectNoSecrets(text);
      expect((JSON.parse(text) as Problem).errors?.map((error) => error.field), JSON.stringify(body)).toEqual(fields);
    }
    expect((await call(caller, "PUT", "paypal", STRIPE)).status).toBe(404);
    expect(await ledgerSnapshot(db())).toEqual(before);
  });

  it("without CREDENTIALS_KEYS answers 503 saying what to configure, and stores nothing", async () => {
    const caller = await newSupplier(db());
    await call(caller, "PUT", "adyen", ADYEN);
    const unconfigured = testConfig({ CREDENTIALS_KEYS: "" });
    const before = await ledgerSnapshot(db());
    const response = await call(caller, "PUT", "stripe", STRIPE, unconfigured);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(((await response.json()) as Problem).detail).toContain("CREDENTIALS_KEYS");
    expect((await list(caller, unconfigured)).status).toBe(503);
    expect((await call(caller, "GET", "adyen", undefined, unconfigured)).status).toBe(503);
    expect(await ledgerSnapshot(db())).toEqual(before);
    // With nothing stored there is nothing to decrypt.
    const fresh = await newSupplier(db(), { name: "Ny AB" });
    expect(await (await list(fresh, unconfigured)).json()).toEqual({ data: [] });
  });
});

describe("GET /api/v1/payment-accounts", () => {
  it("lists the supplier's accounts with hints only; GET one by provider", async () => {
    const caller = await newSupplier(db());
    const stripe = await (await call(caller, "PUT", "stripe", STRIPE)).json();
    const adyen = await (await call(caller, "PUT", "adyen", ADYEN)).json();
    const response = await list(caller);
    expect(response.status).toBe(200);
    const text = await response.text();
    expectNoSecrets(text);
    expect(JSON.parse(text)).toEqual({ data: [adyen, stripe] });
    const one = await call(caller, "GET", "stripe");
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(stripe);
    expect((await callRoute(listAction, testContext(database.get(), config), { method: "POST", path: "/api/v1/payment-accounts", headers: caller.headers })).status).toBe(405);
    expect((await callRoute(listLoader, testContext(database.get(), config), { path: "/api/v1/payment-accounts" })).status).toBe(401);
  });
});

describe("DELETE /api/v1/payment-accounts/:provider", () => {
  it("deletes an unused account", async () => {
    const caller = await newSupplier(db());
    const account = await (await call(caller, "PUT", "stripe", STRIPE)).json();
    const response = await call(caller, "DELETE", "stripe");
    expect(response.status).toBe(204);
    expect(await db().select().from(paymentAccounts).where(eq(paymentAccounts.id, account.id))).toEqual([]);
    expect((await call(caller, "GET", "stripe")).status).toBe(404);
    expect((await call(caller, "DELETE", "stripe")).status).toBe(404);
    const [removed] = (await accountEvents(caller.supplier.id)).filter((row) => row.type === "payment_account.removed");
    expect(removed!.data).toEqual({ account_id: account.id, provider: "stripe", kept_for_webhooks: false });
  });

  it("keeps an account with payments for their webhooks (refunds, chargebacks) but no longer offers or lists it", async () => {
    const caller = await newSupplier(db());
    const account = await (await call(caller, "PUT", "stripe", STRIPE)).json();
    const customerId = newPublicId("cus");
    await db().insert(customers).values({ id: customerId, supplierId: caller.supplier.id, name: "Kund AB" });
    const fixture = await createInvoiceWithLink(db(), config, { supplier: caller.supplier, customerId });
    await applyUpdate(db(), {
      supplierId: caller.supplier.id, provider: "stripe", accountId: account.id, providerReference: "pi_kept", invoiceId: fixture.invoice.id,
      method: "card", currency: "SEK", amount: 1_000, status: "succeeded", occurredAt: new Date(),
    });

    expect((await call(caller, "DELETE", "stripe")).status).toBe(204);
    expect(await (await list(caller)).json()).toEqual({ data: [] });
    expect((await call(caller, "GET", "stripe")).status).toBe(404);
    const kept = await findPaymentAccount(db(), config, "stripe", account.id);
    expect(kept).toMatchObject({ methods: [], credentials: { webhookSecret: STRIPE.webhook_secret } });

    // Setting it up again brings back the same account and webhook URL.
    const again = await call(caller, "PUT", "stripe", { ...STRIPE, methods: ["card"] });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ id: account.id, methods: ["card"], webhook_url: account.webhook_url });
  });
});

describe("tenancy", () => {
  it("another supplier's key reads and changes only its own accounts", async () => {
    const owner = await newSupplier(db(), { name: "Ägare AB" });
    await call(owner, "PUT", "stripe", STRIPE);
    await call(owner, "PUT", "adyen", ADYEN);
    const stranger = await newSupplier(db(), { name: "Annan AB" });
    const before = await ledgerSnapshot(db());

    expect(await (await list(stranger)).json()).toEqual({ data: [] });
    for (const provider of ["stripe", "adyen"]) {
      expect((await call(stranger, "GET", provider)).status).toBe(404);
      expect((await call(stranger, "DELETE", provider)).status).toBe(404);
    }
    expect(await ledgerSnapshot(db())).toEqual(before);

    // Its own PUT creates its own account and leaves the owner's alone.
    const own = await (await call(stranger, "PUT", "stripe", { ...STRIPE, secret_key: "sk_test_51StrangerKey00001111" })).json();
    const ownerAccount = await (await call(owner, "GET", "stripe")).json();
    expect(own.id).not.toBe(ownerAccount.id);
    expect(ownerAccount.credentials.secret_key_hint).toBe("sk_test_…4242");
  });
});
