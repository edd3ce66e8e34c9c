// The invoice notice as a payer gets it: the supplier creates the invoice with `send: true`, the
// email arrives (through the real Resend SDK, at a local fake), shows what to pay and how, and its
// link opens the invoice's page, where the invoice downloads as a PDF with the pay-now box: the
// portal's copy, and once the supplier uploaded its own PDF, that one, stamped.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { pdfText } from "../test/support/pdf-text";
import { apiHeaders, baseUrl, expectNoSeriousAxeViolations, newInvoice, receivedEmail } from "./fixtures";

async function downloadInvoiceText(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the invoice (PDF)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  return (await pdfText(new Uint8Array(bytes))).text;
}

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

  const copy = await downloadInvoiceText(page);
  expect(copy).toContain(number);
  expect(copy).toContain("Pay or answer this invoice");
  expect(copy).toMatch(/https?:\/\/\S+\/p\/[0-9A-Za-z]{22}/);

  // The supplier's ERP hands over its own PDF: the same link now downloads that one, stamped.
  const own = await PDFDocument.create();
  own.addPage().drawText(`ERP invoice ${number}`, { x: 50, y: 760, size: 14, font: await own.embedFont(StandardFonts.Helvetica) });
  const upload = await request.put(`${baseUrl()}/api/v1/invoices/${invoice.id}/document`, {
    headers: { ...apiHeaders(), "content-type": "application/pdf" },
    data: Buffer.from(await own.save()),
  });
  expect(upload.status()).toBe(201);
  const stamped = await downloadInvoiceText(page);
  expect(stamped).toContain(`ERP invoice ${number}`);
  expect(stamped).toContain("Pay or answer this invoice");
});
