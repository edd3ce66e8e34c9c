// A clerk's daily work on the console's invoices: signed in, she finds a new invoice by searching
// its number, opens it, pauses and resumes its reminders, records the payment that came in, and sees it paid. The list and the
// invoice's page are clean under axe at desktop width and on a 390 px phone, and fit the phone.
import { test, expect, type Page } from "@playwright/test";
import { hashPassword } from "../app/features/console/passwords.server";
import { newPublicId } from "../app/domain/public-id";
import { closeE2eDb, demo, e2eDb, expectNoSeriousAxeViolations, newInvoice } from "./fixtures";

test.afterAll(closeE2eDb);
// Sign-in (argon2), two viewports and four axe runs.
test.setTimeout(120_000);

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const PASSWORD = "klara-betalar-alltid-i-tid";

/** A member of the demo supplier's team with a password (as after accepting an invitation). */
async function newClerk(): Promise<string> {
  const email = `clerk-invoices-${Date.now()}@demo.example`;
  const id = newPublicId("usr");
  const db = e2eDb();
  await db`insert into users (id, email, password_hash, language) values (${id}, ${email}, ${await hashPassword(PASSWORD)}, 'en')`;
  await db`insert into memberships (user_id, supplier_id, role) values (${id}, ${demo().supplierId}, 'member')`;
  return email;
}

async function expectFitsAndClean(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoSeriousAxeViolations(page);
}

test("a clerk finds an invoice by its number, records its payment and sees it paid", async ({ browser, request }) => {
  const invoice = await newInvoice(request, "CONSOLE");
  const email = await newClerk();

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
  const page = await desk.newPage();
  await page.goto("/app/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Invoices" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Invoices");
  await expectNoSeriousAxeViolations(page);

  await page.getByLabel("Number, OCR or customer").fill(invoice.number);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("row")).toHaveCount(2);
  await page.getByRole("link", { name: invoice.number }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Invoice ${invoice.number}`);
  await expectNoSeriousAxeViolations(page);

  // Reminders paused until resumed, with a reason the facts show, then resumed.
  const pause = page.locator("form", { has: page.getByRole("button", { name: "Pause reminders" }) });
  await pause.getByLabel("Until I resume them").check();
  await pause.getByLabel("Reason (optional)").fill("Payment plan agreed by phone");
  await pause.getByRole("button", { name: "Pause reminders" }).click();
  await expect(page.getByRole("status")).toHaveText("Reminders for this invoice are paused.");
  await expect(page.getByTestId("reminders-state")).toHaveText(`Paused until resumed · by ${email} · Payment plan agreed by phone`);
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("button", { name: "Resume reminders" }).click();
  await expect(page.getByTestId("reminders-state")).toHaveText("On, by the reminder policy");

  const form = page.locator("form", { has: page.getByRole("button", { name: "Record the payment" }) });
  await form.getByLabel("Amount (SEK)").fill("13 306,00");
  await form.getByLabel("Bank reference (optional)").fill(`BG-${Date.now()}`);
  await form.getByRole("button", { name: "Record the payment" }).click();
  await expect(page.getByRole("status")).toHaveText("The payment was recorded.");
  await expect(page.locator(".invoice-tag").first()).toHaveText("Paid");
  await expect(page.getByTestId("balance")).toHaveText(/^SEK\s?0\.00$|^0\.00\s?SEK$/);
  await expectNoSeriousAxeViolations(page);

  // The same pages on a phone, signed in as the same clerk.
  const phone = await browser.newContext({ ...PHONE, storageState: await desk.storageState() });
  const small = await phone.newPage();
  await small.goto(`/app/invoices?q=${encodeURIComponent(invoice.number)}&status=paid`);
  await expect(small.getByRole("link", { name: invoice.number })).toBeVisible();
  await expectFitsAndClean(small);
  await small.goto(`/app/invoices/${invoice.id}`);
  await expect(small.getByRole("heading", { level: 1 })).toHaveText(`Invoice ${invoice.number}`);
  await expectFitsAndClean(small);
  await desk.close();
  await phone.close();
});
