// Payment accounts from the console (/app/settings/payment-accounts): an owner connects Stripe,
// replaces its keys and removes it after confirming, each audited with the user and without a
// secret; a refused form names each field and keeps what was typed, secrets apart; the rendered
// page and the server's log never hold a secret; admins read, member and sales may not open it;
// another supplier's account is out of reach; without CREDENTIALS_KEYS the page says what to set.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { events } from "../../../db/schema";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as layout from "~/routes/app";
import * as route from "~/routes/app.settings.payment-accounts";
import { setPaymentAccount } from "~/features/payments/payment-accounts.server";
import { t } from "~/i18n";
import { can, CONSOLE_ROLES, type ConsoleRole } from "~/domain/console-roles";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";
import { routeBuild, useServerApp } from "../../support/remix-app";

const database = useTestDatabase();
const db = () => database.get().db;
const config = testConfig();
const unconfigured = testConfig({ CREDENTIALS_KEYS: "" });
const context = (appConfig = config) => testContext(database.get(), appConfig);
const PATH = "/app/settings/payment-accounts";

const STRIPE = { provider: "stripe", secret_key: "sk_test_51AbCdEfGhIjKlMnOpQrStUv4242", webhook_secret: "whsec_9fJ2kLmN0pQrStUvWxYz1234abcd", methods: "card" };
const STRIPE_LIVE = { ...STRIPE, secret_key: "sk_live_51ZyXwVuTsRqPoNmLkJiHg9876", webhook_secret: "whsec_NewNewNewNewNew5678wxyz" };
const ADYEN = {
  provider: "adyen",
  api_key: "AQEyhmfxLIjIaBdEw0m/n3Q5qf3VaY9UCJ1+XWZe9W27jmlZiv4PD4jhfNMofnLr2K5i8/0QwV1bDb7kfNy1WIxIIkxgBw==-lbAxa7c0",
  merchant_account: "NordljusECOM",
  environment: "test",
  live_url_prefix: "",
  hmac_key: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
  notification_username: "adyen-hooks",
  notification_password: "s3cret-Basic-Auth-pw",
  methods: "card",
};
const SECRETS = [STRIPE.secret_key, STRIPE.webhook_secret, STRIPE_LIVE.secret_key, STRIPE_LIVE.webhook_secret, ADYEN.api_key, ADYEN.hmac_key, ADYEN.notification_password];

function expectNoSecrets(text: string) {
  for (const secret of SECRETS) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(8, -4)); // nor the middle of one
  }
}

const accountTables = async () =>
  (await db().execute(sql`
    select (select string_agg(concat_ws('|', id, supplier_id, provider, methods::text, credentials_ciphertext, updated_at), ',' order by id) from payment_accounts) as accounts,
           (select count(*) from events) as events`))[0];

async function signedIn(role: ConsoleRole) {
  const supplier = await newSupplier(db());
  const user = await newConsoleUser(db(), supplier.supplierId, role);
  return { ...supplier, user, cookie: await signedInCookie(db(), user.user.id, supplier.supplierId) };
}

const OPERATOR = { actor: "operator" as const, actorId: "test" };
async function connectedStripe(supplierId: string) {
  const result = await setPaymentAccount(db(), config, { supplierId, provider: "stripe", input: { secret_key: STRIPE.secret_key, webhook_secret: STRIPE.webhook_secret, methods: ["card"] }, actor: OPERATOR });
  if (!result.ok) throw new Error("stripe account not stored");
  return result.account;
}

type PageData = {
  manage: boolean;
  configured: boolean;
  accounts: { provider: string; account: null | { id: string; webhookUrl: string; methods: string[]; credentials: Record<string, unknown> | null } }[];
};
const pageData = async (cookie: string, appConfig = config) => (await (await getPage(route, context(appConfig), PATH, { cookie })).json()) as PageData;
const stripeOf = (page: PageData) => page.accounts.find((entry) => entry.provider === "stripe")!.account;

describe("an owner's payment accounts", () => {
  it("connects Stripe, replaces its keys (same webhook URL) and removes it after confirming, each audited without a secret", async () => {
    const s = await signedIn("owner");
    const connected = await postForm(route, context(), PATH, { intent: "connect", ...STRIPE }, { cookie: s.cookie });
    expect(connected.status).toBe(303);
    expect(connected.headers.get("location")).toBe(`${PATH}?saved=stripe`);
    const first = stripeOf(await pageData(s.cookie))!;
    expect(first.credentials).toEqual({ secret_key_hint: "sk_test_…4242", webhook_secret_hint: "whsec_…abcd", mode: "test" });
    expect(first.webhookUrl).toBe(`${TEST_BASE_URL}/webhooks/stripe/${first.id}`);

    expect((await postForm(route, context(), PATH, { intent: "connect", ...STRIPE_LIVE, methods: "swish" }, { cookie: s.cookie })).status).toBe(303);
    const replaced = stripeOf(await pageData(s.cookie))!;
    expect(replaced).toMatchObject({ id: first.id, webhookUrl: first.webhookUrl, methods: ["swish"], credentials: { secret_key_hint: "sk_live_…9876", mode: "live" } });

    // The first POST only asks; nothing is removed until the confirming one.
    const before = await accountTables();
    const asked = await postForm(route, context(), PATH, { intent: "remove", provider: "stripe" }, { cookie: s.cookie });
    expect(asked.status).toBe(200);
    expect(await asked.json()).toEqual({ confirmRemove: "stripe" });
    expect(await accountTables()).toEqual(before);
    const removed = await postForm(route, context(), PATH, { intent: "remove", provider: "stripe", confirm: "yes" }, { cookie: s.cookie });
    expect(removed.status).toBe(303);
    expect(stripeOf(await pageData(s.cookie))).toBeNull();

    const audit = await db().select().from(events).where(eq(events.supplierId, s.supplierId)).orderBy(events.seq);
    expect(audit.map((e) => [e.type, e.actor, e.actorId])).toEqual([
      ["payment_account.updated", "user", s.user.user.id],
      ["payment_account.updated", "user", s.user.user.id],
      ["payment_account.removed", "user", s.user.user.id],
    ]);
    expect(audit[1]!.data).toMatchObject({ created: false, changed: ["secret_key", "webhook_secret", "methods"] });
    expectNoSecrets(JSON.stringify(audit));
  });

  it("refuses bad input field by field, keeps what was typed but not the secrets, and writes nothing", async () => {
    const s = await signedIn("owner");
    const before = await accountTables();
    const adyen = await postForm(route, context(), PATH, {
      intent: "connect", ...ADYEN, merchant_account: "Nordljus ECOM!", environment: "live", hmac_key: "not-hex", notification_username: "hooks",
    }, { cookie: s.cookie });
    expect(adyen.status).toBe(422);
    const text = await adyen.text();
    expectNoSecrets(text);
    expect(JSON.parse(text)).toEqual({
      refusal: {
        provider: "adyen",
        errors: {
          merchant_account: "console.paymentAccounts.error.merchant_account",
          live_url_prefix: "console.paymentAccounts.error.live_url_prefix",
          hmac_key: "console.paymentAccounts.error.hmac_key",
        },
        values: { methods: ["card"], merchant_account: "Nordljus ECOM!", environment: "live", live_url_prefix: "", notification_username: "hooks" },
      },
    });
    const { methods: _none, ...noMethods } = STRIPE;
    const stripe = await postForm(route, context(), PATH, { intent: "connect", ...noMethods, secret_key: "pk_test_publishable1234" }, { cookie: s.cookie });
    expect(stripe.status).toBe(422);
    expect(((await stripe.json()) as { refusal: { errors: object } }).refusal.errors).toEqual({
      secret_key: "console.paymentAccounts.error.secret_key",
      methods: "console.paymentAccounts.error.methods",
    });
    expect(await accountTables()).toEqual(before);
  });
});

describe("the page over HTTP", () => {
  const build = routeBuild(
    [
      ["root", undefined, "", root],
      ["routes/app", "root", "app", layout],
      ["routes/app.settings.payment-accounts", "routes/app", "settings/payment-accounts", route],
    ],
    entry,
  );
  const server = useServerApp({ build, config: () => config, db: () => db() });
  const headers = (cookie: string) => ({ cookie, "accept-language": "en" });

  it("shows hints, mode and the webhook URL with where to paste it; never a secret, in the page, a refused form or the log", async () => {
    const s = await signedIn("owner");
    const account = await connectedStripe(s.supplierId);
    const page = await fetch(`${server.url()}${PATH}`, { headers: headers(s.cookie) });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of ["sk_test_…4242", "whsec_…abcd", account.webhook_url, t("en", "console.paymentAccounts.mode.test"), t("en", "console.paymentAccounts.steps.stripe.2"), "Connect Adyen"]) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/<input[^>]*type="password"[^>]*name="secret_key"|<input[^>]*name="secret_key"[^>]*type="password"/);

    const refused = await fetch(`${server.url()}${PATH}`, {
      method: "POST",
      headers: { ...headers(s.cookie), "content-type": "application/x-www-form-urlencoded", origin: TEST_BASE_URL, "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ intent: "connect", ...ADYEN, hmac_key: ADYEN.hmac_key.slice(1) }).toString(),
    });
    expect(refused.status).toBe(422);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain(t("en", "console.paymentAccounts.error.hmac_key"));
    expect(refusedHtml).toContain('value="NordljusECOM"');
    expectNoSecrets(refusedHtml);
    expectNoSecrets(server.lines.join("\n"));
  });
});

describe("without CREDENTIALS_KEYS", () => {
  const build = routeBuild(
    [
      ["root", undefined, "", root],
      ["routes/app", "root", "app", layout],
      ["routes/app.settings.payment-accounts", "routes/app", "settings/payment-accounts", route],
    ],
    entry,
  );
  const server = useServerApp({ build, config: () => unconfigured, db: () => db() });

  it("the page names the variable to set, its forms are off, and a hand-made POST stores nothing", async () => {
    const s = await signedIn("owner");
    const html = await (await fetch(`${server.url()}${PATH}`, { headers: { cookie: s.cookie, "accept-language": "en" } })).text();
    expect(html).toContain(t("en", "console.paymentAccounts.notConfigured").replace("<", "&lt;").replace(">", "&gt;"));
    expect(html.match(/<fieldset class="payment-account__fields" disabled="">/g)).toHaveLength(2);
    const before = await accountTables();
    expect((await postForm(route, context(unconfigured), PATH, { intent: "connect", ...STRIPE }, { cookie: s.cookie })).status).toBe(503);
    expect(await accountTables()).toEqual(before);
  });
});

describe("who may do what", () => {
  it.each(CONSOLE_ROLES)("%s", async (role) => {
    const s = await signedIn(role);
    await connectedStripe(s.supplierId);
    const page = await getPage(route, context(), PATH, { cookie: s.cookie });
    expect(page.status).toBe(can(role, "settings.read") ? 200 : 403);
    if (page.status === 200) expect(((await page.json()) as PageData).manage).toBe(role === "owner");
    if (role === "owner") return;
    const before = await accountTables();
    for (const fields of [{ intent: "connect", ...STRIPE_LIVE }, { intent: "remove", provider: "stripe", confirm: "yes" }, { intent: "remove", provider: "stripe" }] as Record<string, string>[]) {
      expect((await postForm(route, context(), PATH, fields, { cookie: s.cookie })).status).toBe(403);
    }
    expect(await accountTables()).toEqual(before);
  });

  it("another supplier's owner neither sees nor removes this supplier's account", async () => {
    const a = await signedIn("owner");
    const theirs = await connectedStripe(a.supplierId);
    const b = await signedIn("owner");
    const page = await pageData(b.cookie);
    expect(stripeOf(page)).toBeNull();
    expect(JSON.stringify(page)).not.toContain(theirs.id);
    const before = await accountTables();
    expect((await postForm(route, context(), PATH, { intent: "remove", provider: "stripe", confirm: "yes" }, { cookie: b.cookie })).status).toBe(404);
    expect(await accountTables()).toEqual(before);
    // B's own connection is B's: A's row stays as it was.
    expect((await postForm(route, context(), PATH, { intent: "connect", ...STRIPE_LIVE }, { cookie: b.cookie })).status).toBe(303);
    const aRows = await db().execute(sql`select credentials_ciphertext, updated_at from payment_accounts where supplier_id = ${a.supplierId}`);
    expect(JSON.stringify(before)).toContain((aRows[0] as { credentials_ciphertext: string }).credentials_ciphertext);
    const aEvents = await db().select().from(events).where(and(eq(events.supplierId, a.supplierId), eq(events.actor, "user")));
    expect(aEvents).toEqual([]);
  });
});
