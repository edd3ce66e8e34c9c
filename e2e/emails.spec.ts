// The invoice notice as a payer gets it: the supplier creates the invoice with `send: true`, the
// email arrives (through the real Resend SDK, at a local fake), shows what to pay and how, and its
// link opens the invoice's page, where the invoice copy downloads as a PDF.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, newInvoice, receivedEmail } from "./fixtures";

test("the invoice notice leads the payer to the invoice, its payment details and its PDF", async ({ page, request }) => {
  const invoice = await newInvoice(request, "notice", { send: true });
  const { number } = invoice;

  const email = await receivedEmail(invoice.billingEmail, number);
  expect(email.text).toContain("13,306.00");
  expect(email.text).toMatch(/OCR/);
  expect(email.text).toMatch(/Bankgiro/);
  const link = /https?:\/\/[^\s"<>]+\/i\/[A-Za-z0-9._-]+/.exec(email.text)?.[0];
  expect(link).toBeDefined();
  expect(email.html).toContain(link!);
  // The link in the email is the email's own, not the one the API returned to the supplier.
  expect(link).not.toBe(invoice.url.split("?")[0]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${link}?lang=en`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(number);
  await expectNoSeriousAxeViolations(page);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the invoice (PDF)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
});
