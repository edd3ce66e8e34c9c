// Issue 4, "Done when": a payer pays by card on the supplier's hosted payment page (the local
// test Stripe) and sees "Paid" after the verified webhook — with JavaScript on and off; a
// declined card is shown with a retry; "I have paid" pauses reminders and never counts as money.
import { test, expect } from "@playwright/test";
import {
  closeE2eDb, e2eDb as db, eventTypes, expectMail, expectNoSeriousAxeViolations, inDays, newInvoice,
} from "./fixtures";

test.afterAll(closeE2eDb);

async function ledger(invoiceId: string) {
  const payments = await db()`select status, amount, method from payments where invoice_id = ${invoiceId} order by created_at`;
  const [invoice] = await db()`select amount_paid, paid_at is not null as paid from invoices where id = ${invoiceId}`;
  return { payments: payments.map((row) => ({ status: String(row.status), amount: Number(row.amount), method: String(row.method) })), amountPaid: Number(invoice!.amount_paid), paid: invoice!.paid };
}

for (const javaScriptEnabled of [true, false]) {
  test(`pays by card on the hosted page and sees Paid after the webhook (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ browser, request }) => {
    const context = await browser.newContext({ javaScriptEnabled, locale: "en-GB" });
    const page = await context.newPage();
    const invoice = await newInvoice(request, `card-${javaScriptEnabled}`);
    await page.goto(invoice.url);
    await expect(page.getByText("1 330 600")).toHaveCount(0); // amounts are formatted, never raw minor units
    await page.getByRole("button", { name: "Pay by card" }).click();

    // The provider's page: the amount asked for is what is due, and no card field is ours.
    await expect(page).toHaveURL(/\/checkout\/cs_/);
    await expect(page.getByTestId("amount")).toHaveText("13306.00 SEK");
    await page.getByRole("button", { name: "Pay" }).click();

    await expect(page).toHaveURL(/\/i\/.*checkout=pay_/);
    await expect(page.getByText("Status: Paid", { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Your payment" })).toBeVisible();
    await expect(page.getByText(/^Thank you — SEK\s13,306\.00 paid by card on /)).toBeVisible();
    expect(await ledger(invoice.id)).toEqual({
      payments: [{ status: "succeeded", amount: 1330600, method: "card" }],
      amountPaid: 1330600,
      paid: true,
    });
    expect(await eventTypes(request, invoice.id)).toEqual(expect.arrayContaining(["payment.succeeded", "invoice.paid"]));
    await expectMail(invoice.id, "payment-receipt", invoice.billingEmail);
    // Paid: no way to pay again.
    await expect(page.getByRole("button", { name: "Pay by card" })).toHaveCount(0);
    await context.close();
  });
}

test("a declined card is shown with a retry, and the retry pays", async ({ page, request }) => {
  const invoice = await newInvoice(request, "declined");
  await page.goto(invoice.url);
  await page.getByRole("button", { name: "Pay by card" }).click();
  await page.getByRole("button", { name: "Decline" }).click();

  await expect(page.getByText(/Your card payment did not go through/)).toBeVisible();
  await expect(page.getByText("Status: Paid", { exact: true })).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
  // The retry sits right in the notice.
  await page.getByRole("alert").getByRole("button", { name: "Pay by card" }).click();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByText("Status: Paid", { exact: true })).toBeVisible();
  const { payments, amountPaid } = await ledger(invoice.id);
  expect(payments.map((payment) => payment.status)).toEqual(["failed", "succeeded"]);
  expect(amountPaid).toBe(1330600);
});

test("coming back without paying shows no payment as made", async ({ page, request }) => {
  const invoice = await newInvoice(request, "cancel");
  await page.goto(invoice.url);
  await page.getByRole("button", { name: "Pay by card" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/cancelled=1/);
  await expect(page.getByText("We are processing your payment")).toHaveCount(0);
  await expect(page.getByText("Status: Paid", { exact: true })).toHaveCount(0);
  expect((await ledger(invoice.id)).amountPaid).toBe(0);
});

test("'I have paid' shows the report, tells the supplier and counts no money", async ({ page, request }) => {
  const invoice = await newInvoice(request, "reported");
  await page.goto(invoice.url);
  await page.getByText("I have already paid").click();
  await page.getByLabel("Date you paid").fill(inDays(-1));
  await page.getByLabel("Amount paid (SEK)").fill("13 306,00");
  await page.getByRole("button", { name: /I have paid/ }).click();

  await expect(page.getByText("Payment reported, waiting for the bank").first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  expect(await eventTypes(request, invoice.id)).toContain("payment.reported");
  const [row] = await db()`select amount_paid, payment_reported_until > now() as paused from invoices where id = ${invoice.id}`;
  expect({ amountPaid: Number(row!.amount_paid), paused: row!.paused }).toEqual({ amountPaid: 0, paused: true });
});

test("in Swedish: a decline, a cancel and the payment all come back in Swedish, and the checkout never inherits #pay", async ({ page, request }) => {
  // The customer's language is English: only the payer's ?lang=sv choice makes the page Swedish.
  const invoice = await newInvoice(request, "swedish");
  await page.goto(`${invoice.url.replace("lang=en", "lang=sv")}#pay`);
  await page.getByRole("button", { name: "Betala med kort" }).first().click();
  await expect(page).toHaveURL(/\/checkout\/cs_/);
  expect(new URL(page.url()).hash).toBe("");

  await page.getByRole("button", { name: "Decline" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page).toHaveURL(/lang=sv/);
  await expect(page.getByRole("alert")).toContainText("Din kortbetalning gick inte igenom.");
  await expect(page.getByText(/insufficient funds/)).toHaveCount(0);

  await page.getByRole("alert").getByRole("button", { name: "Betala med kort" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page.getByRole("alert")).toContainText("Din kortbetalning avbröts.");

  await page.getByRole("alert").getByRole("button", { name: "Betala med kort" }).click();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page.getByText("Tack — 13 306,00 kr betalt med kort", { exact: false })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});
