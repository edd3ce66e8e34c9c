// Card and Swish checkout through Adyen payment links: the real @adyen/api-library against the
// local fake (server/fakes/adyen.ts), whose hosted page delivers signed webhooks to our route
// over real HTTP. Covers what is sent (amount, reference, idempotency key — P4, P5), failures
// the payer must survive, and a payment from the hosted page to "paid".
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { useTestDatabase } from "../../support/database";
import { TEST_BASE_URL, testConfig, testContext } from "../../support/context";
import { payerFixture } from "../portal/payer-helpers";
import {
  addAdyenAccount, checkout, invoiceBalance, ledgerCounts, paymentRow, pendingPayment, setInvoiceCurrency, startWebhookHost,
} from "./adyen-helpers";
import { startFakeAdyen, type FakeAdyen } from "../../../server/fakes/adyen";

const database = useTestDatabase();
let fake: FakeAdyen;
let host: { url: string; close: () => Promise<void> };
let config: ReturnType<typeof testConfig>;
const db = () => database.get().db;

beforeAll(async () => {
  fake = await startFakeAdyen();
  config = testConfig({ ADYEN_API_URL: fake.url });
  host = await startWebhookHost(testContext(database.get(), config));
});

afterAll(async () => {
  await host?.close();
  await fake?.close();
});

async function setup(options: { currency?: string; registered?: boolean } = {}) {
  const fixture = await payerFixture(db(), config);
  if (options.currency) await setInvoiceCurrency(db(), fixture.invoice.id, options.currency);
  const adyen = await addAdyenAccount(db(), config, fixture.supplier.id, options.registered === false ? {} : { fake, webhookBase: host.url });
  return { fixture, adyen };
}

function linkOf(url: string) {
  const id = new URL(url).pathname.split("/").pop()!;
  return fake.links().find((link) => link.id === id)!;
}

/** A press of a button on the hosted page, as the browser sends it. */
function press(url: string, button: "pay" | "decline" | "cancel") {
  return fetch(url, { method: "POST", body: new URLSearchParams({ action: button }), redirect: "manual" });
}

describe("creating the payment link", () => {
  it("sends the stored amount, our payment id as reference, the metadata and the payment's idempotency key", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const result = await checkout(config, fixture, adyen, payment);
    expect(result).toMatchObject({ ok: true, providerReference: null });
    if (!result.ok) return;
    expect(result.url).toMatch(new RegExp(`^${fake.url}/pay/PL[0-9A-F]+$`));
    const link = linkOf(result.url);
    expect(link.idempotencyKey).toBe(payment.idempotencyKey);
    expect(link.request).toMatchObject({
      amount: { value: 1_229_700, currency: "SEK" },
      reference: payment.id,
      merchantAccount: "NordljusECOM",
      returnUrl: `${TEST_BASE_URL}/i/${fixture.token}?checkout=${payment.id}`,
      shopperLocale: "sv-SE",
      metadata: { payment_id: payment.id, invoice_id: fixture.invoice.id, supplier_id: fixture.supplier.id },
      allowedPaymentMethods: ["scheme"],
    });
    expect(new Date(link.request.expiresAt as string).getTime()).toBe(result.expiresAt.getTime());
    expect(result.expiresAt.getTime()).toBeGreaterThan(payment.createdAt.getTime());
  });

  it("asks for Swish only, for Swedish shoppers, when the payer chose Swish", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen, { method: "swish" });
    const result = await checkout(config, fixture, adyen, payment, { locale: "en" });
    if (!result.ok) throw new Error(result.detail);
    expect(linkOf(result.url).request).toMatchObject({ allowedPaymentMethods: ["swish"], countryCode: "SE", shopperLocale: "en-GB" });
  });

  it("sends an EUR amount in EUR minor units", async () => {
    const { fixture, adyen } = await setup({ currency: "EUR" });
    const payment = await pendingPayment(db(), fixture, adyen, { currency: "EUR", amount: 98_765 });
    const result = await checkout(config, fixture, adyen, payment);
    if (!result.ok) throw new Error(result.detail);
    expect(linkOf(result.url).request.amount).toEqual({ value: 98_765, currency: "EUR" });
  });

  it("asking twice for one payment gives the same link, created once", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const before = fake.linksCreated();
    const first = await checkout(config, fixture, adyen, payment);
    const second = await checkout(config, fixture, adyen, payment);
    expect(first.ok && second.ok && first.url === second.url).toBe(true);
    expect(fake.linksCreated() - before).toBe(1);
  });

  it("P4: a timeout, then a retry with the stored key → one link at Adyen", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const before = fake.linksCreated();
    fake.failNext({ kind: "timeout" });
    const timedOut = await checkout(config, fixture, adyen, payment, { timeoutMs: 300 });
    expect(timedOut).toMatchObject({ ok: false, reason: "timeout" });
    // Adyen made the link although its answer was lost.
    expect(fake.linksCreated() - before).toBe(1);
    const retried = await checkout(config, fixture, adyen, payment);
    expect(retried.ok).toBe(true);
    expect(fake.linksCreated() - before).toBe(1);
    if (retried.ok) expect(linkOf(retried.url).request.reference).toBe(payment.id);
  });

  it("a 500 from Adyen is a result the page can show, and the retry works", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    fake.failNext({ kind: "error500" });
    expect(await checkout(config, fixture, adyen, payment)).toMatchObject({ ok: false, reason: "unavailable" });
    expect((await checkout(config, fixture, adyen, payment)).ok).toBe(true);
  });

  it("an API key Adyen does not know is refused, not thrown", async () => {
    const { fixture, adyen } = await setup({ registered: false });
    const payment = await pendingPayment(db(), fixture, adyen);
    expect(await checkout(config, fixture, adyen, payment)).toMatchObject({ ok: false, reason: "rejected" });
  });

  it("live credentials go to the account's live endpoint (here rewritten to the fake); without a prefix, no call", async () => {
    const { fixture, adyen } = await setup();
    const live = (liveUrlPrefix: string | null) => ({
      ...adyen,
      account: { ...adyen.account, credentials: { ...adyen.account.credentials, environment: "live" as const, liveUrlPrefix } },
    });
    const payment = await pendingPayment(db(), fixture, adyen);
    const before = fake.linkRequests();
    expect(await checkout(config, fixture, live(null), payment)).toMatchObject({ ok: false });
    expect(fake.linkRequests()).toBe(before);
    expect((await checkout(config, fixture, live("1797a841fbb37ca7-NordljusECOM"), payment)).ok).toBe(true);
  });

  it("an unreachable Adyen is a result too", async () => {
    const closed = await startFakeAdyen();
    await closed.close();
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const result = await checkout(testConfig({ ADYEN_API_URL: closed.url }), fixture, adyen, payment);
    expect(result).toMatchObject({ ok: false, reason: "unavailable" });
  });
});

describe("paying on Adyen's hosted page", () => {
  it("serves no card fields of its own: only the three buttons", async () => {
    const { fixture, adyen } = await setup();
    const result = await checkout(config, fixture, adyen, await pendingPayment(db(), fixture, adyen));
    if (!result.ok) throw new Error(result.detail);
    const html = await (await fetch(result.url)).text();
    expect(html.match(/<button[^>]*>[^<]+<\/button>/g)).toEqual([
      '<button type="submit">Pay</button>',
      '<button type="submit">Decline</button>',
      '<button type="submit">Cancel</button>',
    ]);
    expect(html.match(/<input[^>]*>/g)?.every((input) => input.includes('type="hidden"'))).toBe(true);
  });

  it("Pay: the signed webhook reaches our route before the payer is sent back; the invoice is paid once", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const result = await checkout(config, fixture, adyen, payment);
    if (!result.ok) throw new Error(result.detail);
    const response = await press(result.url, "pay");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${TEST_BASE_URL}/i/${fixture.token}?checkout=${payment.id}`);
    const delivery = fake.deliveries().at(-1)!;
    expect(delivery).toMatchObject({ url: `${host.url}/webhooks/adyen/${adyen.id}`, eventCode: "AUTHORISATION", status: 200, body: "[accepted]" });
    expect(await paymentRow(db(), payment.id)).toMatchObject({ status: "succeeded", method: "card", providerReference: linkOf(result.url).pspReference });
    const balance = await invoiceBalance(db(), fixture.invoice.id);
    expect(balance.amountPaid).toBe(1_229_700);
    expect(balance.paidAt).toBeInstanceOf(Date);
    // Adyen redelivers the same item: still one payment and one receipt.
    await fake.sendNotification(adyen.credentials.apiKey, {
      eventCode: "AUTHORISATION",
      pspReference: linkOf(result.url).pspReference!,
      merchantReference: payment.id,
      amount: { value: 1_229_700, currency: "SEK" },
      paymentMethod: "visa",
    });
    expect(await ledgerCounts(db(), fixture.invoice.id)).toMatchObject({ payments: 1, receipts: 1, paidEvents: 1 });
  });

  it("Decline, then Pay on the same link: failed first, then succeeded", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const result = await checkout(config, fixture, adyen, payment);
    if (!result.ok) throw new Error(result.detail);
    expect((await press(result.url, "decline")).status).toBe(303);
    expect(await paymentRow(db(), payment.id)).toMatchObject({ status: "failed", failureReason: "Refused" });
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(0);
    await press(result.url, "pay");
    expect((await paymentRow(db(), payment.id)).status).toBe("succeeded");
  });

  it("Cancel sends the payer back and leaves the payment pending (Adyen sends nothing)", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const result = await checkout(config, fixture, adyen, payment);
    if (!result.ok) throw new Error(result.detail);
    const deliveries = fake.deliveries().length;
    const response = await press(result.url, "cancel");
    expect(response.headers.get("location")).toContain(`checkout=${payment.id}`);
    expect(fake.deliveries().length).toBe(deliveries);
    expect((await paymentRow(db(), payment.id)).status).toBe("pending");
  });

  it("Swish through Adyen ends as a Swish payment", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen, { method: "swish" });
    const result = await checkout(config, fixture, adyen, payment);
    if (!result.ok) throw new Error(result.detail);
    await press(result.url, "pay");
    expect(await paymentRow(db(), payment.id)).toMatchObject({ status: "succeeded", method: "swish" });
  });

  it("partial payment, then the rest, each through its own link", async () => {
    const { fixture, adyen } = await setup({ currency: "EUR" });
    for (const [amount, paid] of [[229_700, 229_700], [1_000_000, 1_229_700]] as const) {
      const payment = await pendingPayment(db(), fixture, adyen, { currency: "EUR", amount });
      const result = await checkout(config, fixture, adyen, payment);
      if (!result.ok) throw new Error(result.detail);
      await press(result.url, "pay");
      expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(paid);
    }
    expect(await ledgerCounts(db(), fixture.invoice.id)).toMatchObject({ payments: 2, receipts: 2, paidEvents: 1 });
  });
});
