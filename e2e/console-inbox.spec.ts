// Issue 19's clerk, on the inbox: a payer reports a wrong amount on its invoice page; a new clerk
// (a one-time sign-in link from `user:create`, as an owner's invitation would give) signs in on a
// 390 px phone, sees the new-items count, finds the disputed invoice in the inbox, answers it, and
// the payer's page shows the answer. Each console page clean under axe on the phone and at a desk.
import { test, expect, type Page } from "@playwright/test";
import { closeE2eDb, demo, expectNoSeriousAxeViolations, newInvoice } from "./fixtures";
import { runCli } from "../test/support/cli";

test.afterAll(closeE2eDb);
// A CLI run, two people and an axe run on each page at two sizes.
test.setTimeout(180_000);

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "sv-SE" };
const DESK = { width: 1280, height: 900 };
const SUPPLIER = "Demoföretaget AB";

async function expectFitsAndClean(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoSeriousAxeViolations(page);
}

/** Clean on the phone, then at a desk, and back to the phone. */
async function expectCleanAtBothSizes(page: Page) {
  await expectFitsAndClean(page);
  await page.setViewportSize(DESK);
  await expectFitsAndClean(page);
  await page.setViewportSize(PHONE.viewport);
}

test("a new clerk finds the disputed invoice in the inbox and answers it; the payer's page shows the answer", async ({ browser, request }) => {
  // The payer: a wrong amount on a fresh invoice.
  const invoice = await newInvoice(request, "inbox");
  const payer = await browser.newPage();
  await payer.goto(invoice.url);
  await payer.getByText("Something is wrong – report a problem").click();
  await payer.getByLabel("What is wrong?").selectOption({ label: "Wrong amount or price" });
  await payer.getByLabel(`Message to ${SUPPLIER}`).fill("We agreed 900 kr per hour.");
  await payer.getByRole("button", { name: "Send the report" }).click();
  await expect(payer.getByText(`Open – waiting for an answer from ${SUPPLIER}`)).toBeVisible();

  // The clerk's one-time link, as the operator CLI prints it.
  const clerkEmail = `inbox-clerk-${Date.now()}@demo.example`;
  const created = await runCli(["user:create", "--supplier", demo().supplierId, "--email", clerkEmail, "--role", "member", "--json"], {
    DATABASE_URL: process.env.E2E_DATABASE_URL,
    PUBLIC_BASE_URL: process.env.E2E_BASE_URL,
  });
  expect(created.code, created.stderr).toBe(0);
  const link = (JSON.parse(created.stdout) as { sign_in_url: string }).sign_in_url;

  const clerk = await (await browser.newContext(PHONE)).newPage();
  await clerk.goto(link);
  await clerk.getByRole("button", { name: "Fortsätt" }).click();
  await clerk.getByLabel("Nytt lösenord").fill("inkorgen-töms-varje-morgon");
  await clerk.getByRole("button", { name: "Spara lösenordet" }).click();

  // The count of new items is in the console's bar on every page.
  const inboxLink = clerk.getByRole("navigation").getByRole("link", { name: /^Inkorg/ });
  await expect(inboxLink).toContainText(/\d+ nya/);
  await inboxLink.click();
  await expect(clerk.getByRole("heading", { level: 1 })).toHaveText("Inkorg");
  await expectCleanAtBothSizes(clerk);

  // Only problem reports; the invoice by its number.
  await clerk.getByLabel("Typ").selectOption({ label: "Felanmälan" });
  await clerk.getByRole("button", { name: "Visa", exact: true }).click();
  await clerk.getByRole("link", { name: `Felanmälan · Faktura ${invoice.number}` }).click();
  await expect(clerk.getByRole("heading", { level: 1 })).toHaveText(`Felanmälan · Faktura ${invoice.number}`);
  await expect(clerk.getByText("We agreed 900 kr per hour.")).toBeVisible();
  await expectCleanAtBothSizes(clerk);

  // An internal note, then the answer.
  await clerk.getByLabel("Ny anteckning").fill("Checked the offer: 950 kr per hour was agreed.");
  await clerk.getByRole("button", { name: "Lägg till anteckning" }).click();
  await expect(clerk.getByText("Checked the offer: 950 kr per hour was agreed.")).toBeVisible();
  await clerk.getByLabel("Avvisa: fakturan gäller").check();
  await clerk.getByLabel("Meddelande till betalaren").fill("The signed offer of 3 May says 950 kr per hour.");
  await clerk.getByRole("button", { name: "Skicka svaret" }).click();
  await expect(clerk.locator(".inbox-row__meta .inbox-state")).toHaveText("Klar");
  await expect(clerk.getByText("The signed offer of 3 May says 950 kr per hour.")).toBeVisible();
  await expect(clerk.getByRole("button", { name: "Skicka svaret" })).toHaveCount(0);
  await expectCleanAtBothSizes(clerk);

  // The payer's page shows the answer, and never the team's note.
  await payer.goto(invoice.url);
  await expect(payer.getByText(`Rejected by ${SUPPLIER}`)).toBeVisible();
  await expect(payer.getByText("The signed offer of 3 May says 950 kr per hour.")).toBeVisible();
  await expect(payer.getByText("Checked the offer")).toHaveCount(0);
});
