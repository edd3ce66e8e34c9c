// Demo data for `npm run dev`, the browser tests and the benchmark: one supplier with a customer
// and three invoices (due in a week, overdue, paid), two deliveries on the one due in a week, and
// a running contact-update campaign asking that customer to check its billing contacts.
// Idempotent: ids, the API key and the link secrets derive from the link signing key, so a
// restart prints the same working links.
import { createHmac } from "node:crypto";
import { and, eq, gt } from "drizzle-orm";
import { apiKeys, campaigns, invoices, links } from "./schema";
import type { AppServices } from "~/platform/context";
import { publicUrl, type Config } from "~/platform/config.server";
import { hashLinkId, signLinkToken } from "~/domain/link-token";
import { publicIdFromBytes } from "~/domain/public-id";
import { todayIn } from "~/domain/invoice-status";
import { createApiKey, hashApiKey } from "~/api/db/api-keys.server";
import { findInvoiceLinkByHash } from "~/features/links/db/links.server";
import { createSupplier, getSupplier, updateSupplier } from "~/features/suppliers/db/suppliers.server";
import { addDeliveries } from "~/features/invoices/deliveries.server";
import { createInvoice } from "~/features/invoices/invoices.server";
import { issueInvoiceLink } from "~/features/links/links.server";
import { createUserWithLink } from "~/features/console/users.server";
import { applyPaymentUpdate } from "~/features/payments/payments.server";
import { campaignLinkUrl } from "~/features/campaigns/campaign-links.server";
import { createCampaign, queueCampaign, startCampaign } from "~/features/campaigns/campaigns.server";
import { getPaymentAccount, setPaymentAccount } from "~/features/payments/payment-accounts.server";

export type DemoInvoice = { label: "due" | "overdue" | "paid"; id: string; number: string; url: string };

/** Where the demo supplier is told about confirmations and problems (see /dev/outbox). */
export const DEMO_NOTIFICATION_EMAIL = "reskontra@demoforetaget.example";
/** Whom the demo supplier's payers may ask about an invoice (shown on the page). */
const DEMO_CONTACT = { contactEmail: "fakturor@demoforetaget.example", contactPhone: "+46 8 123 456 78" };

/** What the demo supplier says it delivered for the invoice due in a week, for the payer to approve. */
export const DEMO_DELIVERIES = [
  { description: "Konsulttimmar på plats / Consulting on site", location: "Göteborg", lines: [0] },
  { description: "Kurslitteratur, 3 st / Course books, 3 pcs", lines: [2] },
];
/** The demo supplier's Stripe account, made only when the SDK talks to the local fake. */
export type DemoStripe = { accountId: string; secretKey: string; webhookSecret: string; webhookUrl: string };
export type Demo = {
  supplierId: string;
  apiKey: string;
  invoices: DemoInvoice[];
  stripe: DemoStripe | null;
  /** The demo customer's link of the running contact-update campaign. */
  campaignUrl: string | null;
  /** A fresh one-time sign-in link to the console for the demo supplier's owner. */
  consoleUrl: string;
};

export const DEMO_OWNER_EMAIL = "owner@demo.example";

const DEMO_INVOICES = [
  { label: "due", number: "2026-1001", issuedDaysAgo: 23, dueInDays: 7, paid: false },
  { label: "overdue", number: "2026-0987", issuedDaysAgo: 40, dueInDays: -10, paid: false },
  { label: "paid", number: "2026-0950", issuedDaysAgo: 35, dueInDays: -5, paid: true },
] as const;

function derived(config: Config, purpose: string, bytes = 16): Buffer {
  return createHmac("sha256", config.linkKeys[0]!.secret).update(`demo:${purpose}`).digest().subarray(0, bytes);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const LINES = [
  { description: "Konsulttimmar / Consulting hours", quantity: 12.5, unit_price: 95000, vat_rate: 25, net: 1187500, vat: 296875 },
  { description: "Licens / Licence, 1 year", quantity: 1, unit_price: 240000, vat_rate: 25, net: 240000, vat: 60000 },
  { description: "Kurslitteratur / Course books", quantity: 3, unit_price: 45000, vat_rate: 6, net: 135000, vat: 8100 },
];

export async function seedDemo(services: Pick<AppServices, "config" | "db">): Promise<Demo> {
  const { config, db } = services;
  const supplierId = publicIdFromBytes("sup", derived(config, "supplier"));
  if (!(await getSupplier(db, supplierId))) {
    await createSupplier(db, {
      id: supplierId,
      name: "Demoföretaget AB",
      orgNumber: "556016-0680",
      vatNumber: "SE556016068001",
      bankgiro: "991-2346",
      iban: "SE4550000000058398257466",
      bic: "ESSESESS",
      swishNumber: "1231181189",
      brandColor: "#1f4fd1",
      notificationEmail: DEMO_NOTIFICATION_EMAIL,
      ...DEMO_CONTACT,
    });
  } else if (!(await getSupplier(db, supplierId))?.notificationEmail) {
    // Databases seeded before suppliers had a notification address get one.
    await updateSupplier(db, supplierId, { notificationEmail: DEMO_NOTIFICATION_EMAIL });
  }
  if (!(await getSupplier(db, supplierId))?.contactEmail) {
    // Nor whom payers may ask.
    await updateSupplier(db, supplierId, DEMO_CONTACT);
  }

  const apiKey = `pp_live_${derived(config, "api-key", 24).toString("base64url")}`;
  const [existingKey] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(apiKey)));
  if (!existingKey) await createApiKey(db, supplierId, "demo", derived(config, "api-key", 24));

  const today = todayIn("Europe/Stockholm", new Date());
  const result: DemoInvoice[] = [];
  for (const spec of DEMO_INVOICES) {
    let [invoice] = await db
      .select()
      .from(invoices)
      .where(and(eq(invoices.supplierId, supplierId), eq(invoices.number, spec.number)));
    if (!invoice) {
      const created = await createInvoice(db, config, {
        supplierId,
        apiKeyId: null,
        input: {
          number: spec.number,
          currency: "SEK",
          issue_date: addDays(today, -spec.issuedDaysAgo),
          due_date: addDays(today, spec.dueInDays),
          customer: { external_id: "DEMO-1", name: "Kund & Co AB", org_number: "556012-5790", email: "ekonomi@kund.example", language: "sv" },
          lines: LINES,
          total_net: 1562500,
          total_vat: 364975,
          rounding: 25,
          total: 1927500,
        },
      });
      if (!created.ok) throw new Error(`demo invoice ${spec.number}: ${JSON.stringify(created.problem)}`);
      if (spec.paid) await markPaid(services, created.invoice.id, supplierId);
      if (spec.label === "due") {
        const delivered = addDays(today, -spec.issuedDaysAgo - 2);
        const added = await addDeliveries(db, {
          supplierId,
          apiKeyId: null,
          invoiceId: created.invoice.id,
          input: { deliveries: DEMO_DELIVERIES.map((delivery) => ({ ...delivery, delivered_on: delivered })) },
        });
        if (!added.ok) throw new Error(`demo deliveries: ${JSON.stringify(added.problem)}`);
      }
      [invoice] = await db.select().from(invoices).where(eq(invoices.id, created.invoice.id));
    }
    result.push({ label: spec.label, id: invoice!.id, number: spec.number, url: await stableLink(services, invoice!) });
  }
  return {
    supplierId,
    apiKey,
    invoices: result,
    stripe: await seedDemoStripe(services, supplierId),
    campaignUrl: await seedDemoCampaign(services, supplierId),
    consoleUrl: await demoConsoleLink(services, supplierId),
  };
}

/** The demo owner (made once) and a new one-time link on every start. */
async function demoConsoleLink(services: Pick<AppServices, "config" | "db">, supplierId: string): Promise<string> {
  const created = await createUserWithLink(services.db, services.config, { supplierId, email: DEMO_OWNER_EMAIL, role: "owner", now: new Date() });
  if (!created.ok) throw new Error(`demo console user: ${created.reason}`);
  return created.url;
}

const DEMO_CAMPAIGN_NAME = "Årlig kontroll av fakturauppgifter";

/** A running campaign over every demo customer (a new one once the last has closed). */
async function seedDemoCampaign(services: Pick<AppServices, "config" | "db">, supplierId: string): Promise<string | null> {
  const { config, db } = services;
  const now = new Date();
  let [campaign] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.supplierId, supplierId), eq(campaigns.name, DEMO_CAMPAIGN_NAME), eq(campaigns.status, "started"), gt(campaigns.deadline, now)));
  if (!campaign) {
    const actor = { actor: "system" as const, actorId: null };
    const input = {
      name: DEMO_CAMPAIGN_NAME,
      audience: "all" as const,
      message: "Hej! En gång om året ber vi våra kunder kontrollera vem som ska få våra fakturor. Det tar en minut.",
      deadline: addDays(todayIn("Europe/Stockholm", now), 30),
    };
    const created = await createCampaign(db, { supplierId, input, actor, now });
    if (!created.ok) throw new Error(`demo campaign: ${JSON.stringify(created.problem)}`);
    const started = await startCampaign(db, { supplierId, campaignId: created.body.id, actor, now });
    if (!started.ok) throw new Error(`demo campaign: ${JSON.stringify(started.problem)}`);
    await queueCampaign(services, { supplierId, campaignId: created.body.id }, now);
    [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, created.body.id));
  }
  const [link] = await db.select().from(links).where(eq(links.campaignId, campaign!.id)).limit(1);
  return link ? campaignLinkUrl(config, link) : null;
}

/**
 * With STRIPE_API_URL pointing at the local fake (server/fakes/stripe.ts), the demo supplier
 * takes cards and Swish through "Stripe", so the whole payment flow can be tried offline.
 */
async function seedDemoStripe(services: Pick<AppServices, "config" | "db">, supplierId: string): Promise<DemoStripe | null> {
  const { config, db } = services;
  if (!config.providerApiUrls.stripe) return null;
  const secretKey = `sk_test_demo${derived(config, "stripe-key").toString("hex")}`;
  const webhookSecret = `whsec_demo${derived(config, "stripe-webhook").toString("hex")}`;
  let account = await getPaymentAccount(db, config, supplierId, "stripe");
  if (!account.ok) {
    const set = await setPaymentAccount(db, config, {
      supplierId,
      provider: "stripe",
      input: { secret_key: secretKey, webhook_secret: webhookSecret, methods: ["card", "swish"] },
      actor: { actor: "system", actorId: null },
    });
    if (!set.ok) throw new Error(`demo Stripe account: ${JSON.stringify(set)}`);
    account = set;
  }
  return { accountId: account.account.id, secretKey, webhookSecret, webhookUrl: account.account.webhook_url };
}

/** The paid demo invoice was paid by bank transfer, recorded in the ledger like any other payment. */
async function markPaid(services: Pick<AppServices, "db">, invoiceId: string, supplierId: string) {
  await services.db.transaction(async (tx) => {
    const result = await applyPaymentUpdate(tx, {
      supplierId,
      provider: "manual",
      invoiceId,
      providerReference: `demo-bank-${invoiceId}`,
      method: "bank_transfer",
      currency: "SEK",
      amount: 1927500,
      status: "succeeded",
      occurredAt: new Date(),
    });
    if (result.outcome !== "applied") throw new Error(`demo payment: ${result.outcome}`);
  });
}

async function stableLink(services: Pick<AppServices, "config" | "db">, invoice: typeof invoices.$inferSelect) {
  const { config, db } = services;
  const secret = derived(config, `link:${invoice.id}:${invoice.linkVersion}`);
  const existing = await findInvoiceLinkByHash(db, hashLinkId(secret));
  if (!existing) {
    return (await issueInvoiceLink(db, config, invoice, { actor: "system", reason: "created" }, new Date(), secret)).url;
  }
  const token = signLinkToken(
    { linkId: secret, version: existing.version, expiresAt: Math.floor(existing.expiresAt.getTime() / 1000) },
    config.linkKeys,
  );
  return publicUrl(config, `/i/${token}`);
}

export function printDemo(demo: Demo, config: Config) {
  const lines = [
    "",
    "Payer Portal demo data",
    `  supplier   ${demo.supplierId}`,
    `  API key    ${demo.apiKey}`,
    ...demo.invoices.map((invoice) => `  ${invoice.label.padEnd(9)}  ${invoice.url}`),
    ...(demo.campaignUrl ? [`  ${"contacts".padEnd(9)}  ${demo.campaignUrl}   (contact-update campaign)`] : []),
    `  console    ${demo.consoleUrl}   (sign in once as ${DEMO_OWNER_EMAIL}, owner; choose a password there)`,
    ...(demo.stripe ? ["", "  Card and Swish payments go to a local test Stripe: no real money moves."] : []),
    "",
    `  Try: curl -H "Authorization: Bearer ${demo.apiKey}" ${publicUrl(config, "/api/v1/invoices")}`,
    "",
  ];
  console.log(lines.join("\n"));
}
