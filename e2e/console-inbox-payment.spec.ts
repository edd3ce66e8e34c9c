// Issue 19's clerk and an unmatched bank payment: a BgMax file's payment names no invoice, so it
// waits in the inbox; the clerk splits it over two invoices from the item's rows on a 390 px phone
// (one by its number, one by its OCR reference), is told when the rows add up to more than was
// paid, adds rows by posting the form back, and places it. Clean under axe on the phone and at a desk.
import { test, expect, type Page } from "@playwright/test";
import { apiHeaders, baseUrl, closeE2eDb, demo, e2eDb, expectNoSeriousAxeViolations, newInvoice } from "./fixtures";
import { runCli } from "../test/support/cli";

test.afterAll(closeE2eDb);
test.setTimeout(180_000);

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "sv-SE" };
const DESK = { width: 1280, height: 900 };

async function expectCleanAtBothSizes(page: Page) {
  for (const size of [DESK, PHONE.viewport]) {
    await page.setViewportSize(size);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoSeriousAxeViolations(page);
  }
}

/** One BgMax deposit of one payment with a checked OCR reference that names no invoice. */
function bgmax(bankgiro: string, date: string, amount: number, serial: number): string {
  const pad = (record: string) => record.padEnd(80, " ");
  const num = (value: number | string, width: number) => String(value).padStart(width, "0");
  const day = date.replace(/-/g, "");
  return [
    pad(`01${"BGMAX".padEnd(20, " ")}01${day}080000000000P`),
    pad(`05${num(bankgiro.replace(/\D/g, ""), 10)}${" ".repeat(10)}SEK`),
    pad(`20${num(0, 10)}${"5555555555555".padStart(25, " ")}${num(amount, 18)}21${num(serial, 12)}0`),
    pad(`26${"Okänd Betalare AB".padEnd(35, " ")}`),
    pad(`15${num("990012345678", 35)}${day}${num(1, 5)}${num(amount, 18)}SEK${num(1, 8)} `),
    pad(`70${num(1, 8)}${num(0, 8)}${num(0, 8)}${num(1, 8)}`),
  ].join("\r\n") + "\r\n";
}

test("a clerk splits an unmatched bank payment over two invoices from the inbox", async ({ browser, request }) => {
  const first = await newInvoice(request, "split-a");
  const second = await newInvoice(request, "split-b");
  const [found] = await e2eDb()<{ bankgiro: string; ocr: string }[]>`
    select s.bankgiro, i.ocr from invoices i join suppliers s on s.id = i.supplier_id where i.id = ${second.id}`;
  const { bankgiro, ocr } = found!;
  // 13 306,00 for the first invoice and 500,00 towards the second.
  const serial = Date.now() % 1_000_000_000;
  const upload = await request.post(`${baseUrl()}/api/v1/bank-files`, {
    headers: { ...apiHeaders(), "content-type": "text/plain" },
    data: Buffer.from(bgmax(bankgiro, new Date().toISOString().slice(0, 10), 1_380_600, serial), "latin1"),
  });
  expect(upload.status()).toBe(202);
  const importUrl = upload.headers().location!;
  await expect.poll(async () => (await (await request.get(new URL(importUrl, baseUrl()).toString(), { headers: apiHeaders() })).json()).state, { timeout: 30_000 }).toBe("succeeded");

  const created = await runCli(["user:create", "--supplier", demo().supplierId, "--email", `split-clerk-${Date.now()}@demo.example`, "--role", "member", "--json"], {
    DATABASE_URL: process.env.E2E_DATABASE_URL,
    PUBLIC_BASE_URL: process.env.E2E_BASE_URL,
  });
  expect(created.code, created.stderr).toBe(0);
  const clerk = await (await browser.newContext(PHONE)).newPage();
  await clerk.goto((JSON.parse(created.stdout) as { sign_in_url: string }).sign_in_url);
  await clerk.getByRole("button", { name: "Fortsätt" }).click();
  await clerk.getByLabel("Nytt lösenord").fill("bankfilen-kom-i-morse");
  await clerk.getByRole("button", { name: "Spara lösenordet" }).click();

  // The item the import opened (the list itself is the inbox spec's).
  const [item] = await e2eDb()<{ id: string }[]>`
    select i.id from inbox_items i join unapplied_payments u on u.id = i.source_id
    where i.kind = 'unapplied_payment' and u.supplier_id = ${demo().supplierId} and u.amount = 1380600 and u.state = 'open'
    order by i.opened_at desc limit 1`;
  await clerk.goto(`${baseUrl()}/app/inbox/${item!.id}`);
  await expectCleanAtBothSizes(clerk);

  const row = (n: number) => clerk.getByRole("group", { name: `Rad ${n}`, exact: true });
  // Too much: the rows' sum against what is left, the rows kept.
  await row(1).getByLabel("Fakturanummer, OCR eller id").fill(first.number);
  await row(1).getByLabel(/^Belopp/).fill("13306");
  await row(2).getByLabel("Fakturanummer, OCR eller id").fill(ocr);
  await row(2).getByLabel(/^Belopp/).fill("1000");
  await clerk.getByRole("button", { name: "Placera betalningen" }).click();
  await expect(clerk.getByRole("alert").or(clerk.locator(".console-notice--error"))).toContainText(/men bara 13\s806,00\skr återstår/);
  await expect(row(2).getByLabel("Fakturanummer, OCR eller id")).toHaveValue(ocr);
  await expectCleanAtBothSizes(clerk);

  // More rows by posting the form back; then the right split.
  await clerk.getByRole("button", { name: "Fler rader" }).click();
  await expect(row(10)).toBeVisible();
  await row(2).getByLabel(/^Belopp/).fill("500");
  await clerk.getByRole("button", { name: "Placera betalningen" }).click();
  await expect(clerk.getByText("Placerad på fakturor")).toBeVisible();
  await expectCleanAtBothSizes(clerk);
});
