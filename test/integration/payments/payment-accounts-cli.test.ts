// The operator's payment-account commands, run as the real CLI process against this file's database.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { events, paymentAccounts } from "../../../db/schema";
import { findPaymentAccount } from "~/features/payments/db/payment-accounts.server";
import { useTestDatabase } from "../../support/database";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { testConfig, TEST_BASE_URL, TEST_CREDENTIALS_KEYS, TEST_LINK_KEYS } from "../../support/context";
import { newSupplier } from "../../support/suppliers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;

/** The server's variables, so the CLI encrypts with the keys the server reads with. */
const SERVER_ENV = { CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS, LINK_SIGNING_KEYS: TEST_LINK_KEYS, PUBLIC_BASE_URL: TEST_BASE_URL };
const cli = (args: string[], env: Record<string, string> = SERVER_ENV) => runCli(args, { DATABASE_URL: database.url(), ...env });

const SECRET_KEY = "sk_test_51CliKeyAbCdEfGhIj7777";
const WEBHOOK_SECRET = "whsec_CliSecretAbCdEfGh0042";


describe("npm run cli -- payment-account:…", CLI_TIMEOUT, () => {
  it("sets a Stripe account (prints the webhook URL, never the keys), lists it and removes it", async () => {
    const { supplierId } = await newSupplier(db(), { name: "CLI Kort AB", audited: true });
    const set = await cli([
      "payment-account:set", "--supplier", supplierId, "--provider", "stripe",
      "--secret-key", SECRET_KEY, "--webhook-secret", WEBHOOK_SECRET, "--methods", "card,swish",
    ]);
    expect(set.code, set.stderr).toBe(0);
    const [row] = await db().select().from(paymentAccounts).where(eq(paymentAccounts.supplierId, supplierId));
    expect(row).toMatchObject({ provider: "stripe", methods: ["card", "swish"] });
    expect(set.stdout).toContain(`${TEST_BASE_URL}/webhooks/stripe/${row!.id}`);
    expect(set.stdout).toContain("sk_test_…7777");
    // Encrypted with the server's key: the server reads exactly what the operator typed.
    expect((await findPaymentAccount(db(), config, "stripe", row!.id))?.credentials).toEqual({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });

    const listed = await cli(["payment-account:list", "--supplier", supplierId, "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const accounts = JSON.parse(listed.stdout) as { id: string; credentials: Record<string, string> }[];
    expect(accounts).toMatchObject([{ id: row!.id, provider: "stripe", credentials: { secret_key_hint: "sk_test_…7777" } }]);
    for (const output of [set.stdout, set.stderr, listed.stdout]) {
      expect(output).not.toContain(SECRET_KEY);
      expect(output).not.toContain(WEBHOOK_SECRET);
    }

    const removed = await cli(["payment-account:remove", "--supplier", supplierId, "--provider", "stripe"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed the stripe account ${row!.id}`);
    expect(await db().select().from(paymentAccounts).where(eq(paymentAccounts.supplierId, supplierId))).toEqual([]);
    expect((await cli(["payment-account:remove", "--supplier", supplierId, "--provider", "stripe"])).code).toBe(1);
    const audited = (await db().select().from(events).where(eq(events.supplierId, supplierId))).map((event) => [event.type, event.actor]);
    expect(audited).toEqual(expect.arrayContaining([["payment_account.updated", "operator"], ["payment_account.removed", "operator"]]));
  });

  it("sets an Adyen account and reports bad flags by name, storing nothing", async () => {
    const { supplierId } = await newSupplier(db(), { name: "CLI Adyen AB", audited: true });
    const bad = await cli([
      "payment-account:set", "--supplier", supplierId, "--provider", "adyen", "--api-key", "AQEkey", "--merchant-account", "NordljusECOM",
      "--environment", "live", "--hmac-key", "nothex", "--notification-username", "u", "--notification-password", "p",
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--hmac-key: hmac_key must be the webhook's HMAC key");
    expect(bad.stderr).toContain("--live-url-prefix: live_url_prefix is required");
    expect(await db().select().from(paymentAccounts).where(eq(paymentAccounts.supplierId, supplierId))).toEqual([]);

    const good = await cli([
      "payment-account:set", "--supplier", supplierId, "--provider", "adyen", "--api-key", "AQEkeyAbCdEfGh9876", "--merchant-account", "NordljusECOM",
      "--environment", "test", "--hmac-key", "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
      "--notification-username", "hooks", "--notification-password", "pw-Secret-1", "--json",
    ]);
    expect(good.code, good.stderr).toBe(0);
    const account = JSON.parse(good.stdout) as { id: string; webhook_url: string };
    expect(account).toMatchObject({ provider: "adyen", methods: ["card"], credentials: { api_key_hint: "…9876", environment: "test" } });
    expect(account.webhook_url).toBe(`${TEST_BASE_URL}/webhooks/adyen/${account.id}`);
    expect(good.stdout).not.toContain("pw-Secret-1");
  });

  it("needs --supplier and --provider (64), an existing supplier (1), and CREDENTIALS_KEYS in production (78)", async () => {
    const { supplierId } = await newSupplier(db(), { name: "CLI Fel AB", audited: true });
    expect((await cli(["payment-account:set", "--provider", "stripe"])).code).toBe(64);
    expect((await cli(["payment-account:set", "--supplier", supplierId, "--provider", "paypal"])).code).toBe(64);
    expect((await cli(["payment-account:list"])).code).toBe(64);
    const unknown = await cli(["payment-account:set", "--supplier", "sup_0000000000000000000000", "--provider", "stripe", "--secret-key", SECRET_KEY, "--webhook-secret", WEBHOOK_SECRET]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No supplier with id");

    const production = { NODE_ENV: "production", LINK_SIGNING_KEYS: TEST_LINK_KEYS, PUBLIC_BASE_URL: TEST_BASE_URL };
    const unconfigured = await cli(["payment-account:set", "--supplier", supplierId, "--provider", "stripe", "--secret-key", SECRET_KEY, "--webhook-secret", WEBHOOK_SECRET], production);
    expect(unconfigured.code).toBe(78);
    expect(unconfigured.stderr).toContain("CREDENTIALS_KEYS");
    expect(await db().select().from(paymentAccounts).where(eq(paymentAccounts.supplierId, supplierId))).toEqual([]);
  });
});
