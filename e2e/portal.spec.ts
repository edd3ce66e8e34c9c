import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { demo, demoInvoice, tamper, baseUrl, expectNoSeriousAxeViolations } from "./fixtures";

const SERVER_LOG = ".data/e2e-server.log";

test("a payer opens the seeded link and sees the invoice in Swedish", async ({ page }) => {
  const invoice = demoInvoice("due");
  await page.goto(invoice.url, { waitUntil: "domcontentloaded" });
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Faktura ${invoice.number}`);
  await expect(page.getByText("Förfaller om 7 dagar")).toBeVisible();
  await expect(page.getByText("Demoföretaget AB").first()).toBeVisible();
  await expect(page.getByText("Kund & Co AB")).toBeVisible();
  await expect(page.getByText("19 275,00 kr").first()).toBeVisible();
  await expect(page.getByText("991-2346")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("the language switch shows the same invoice in English", async ({ page }) => {
  const invoice = demoInvoice("overdue");
  await page.goto(invoice.url);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Invoice ${invoice.number}`);
  await expect(page.getByText("Overdue by 10 days")).toBeVisible();
  await expect(page.getByText("SEK 19,275.00").first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("a paid invoice says Paid", async ({ page }) => {
  await page.goto(`${demoInvoice("paid").url}?lang=en`);
  await expect(page.getByText(/Status:\s*Paid$/)).toBeVisible();
});

test("the page works with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
  const page = await context.newPage();
  const invoice = demoInvoice("due");
  await page.goto(`${invoice.url}?lang=en`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Invoice ${invoice.number}`);
  await page.getByRole("link", { name: "Svenska" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Faktura ${invoice.number}`);
  await context.close();
});

test("on a phone (390 px) nothing overflows; a screenshot is kept", async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  });
  const page = await context.newPage();
  await page.goto(`${demoInvoice("due").url}?lang=sv`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // The demo supplier takes Swish through its payment provider: on a phone that comes first,
  // instead of a QR code the phone itself cannot scan.
  const payButtons = page.locator("#pay").getByRole("button");
  await expect(payButtons.first()).toHaveText("Betala med Swish");
  // The bank app's QR code loads lazily; scrolled into view, it is a real image with its data as alt text.
  const qr = page.getByRole("img", { name: /^QR-kod för din bankapp: betala 19 275,00 kr/ });
  await qr.scrollIntoViewIfNeeded();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/portal-390.png", fullPage: true });
  await expectNoSeriousAxeViolations(page);
  await context.close();
});

test("a tampered, unknown or garbage link shows one friendly 404 page", async ({ page, request }) => {
  const good = demoInvoice("due").url;
  const bad = [tamper(good), `${baseUrl()}/i/nope`, `${baseUrl()}/i/${"x".repeat(300)}`];
  const bodies = new Set<string>();
  for (const url of bad) {
    const response = await request.get(url, { headers: { "Accept-Language": "en" } });
    expect(response.status()).toBe(404);
    bodies.add((await response.text()).replace(/nonce="[^"]+"/g, ""));
  }
  expect(bodies.size).toBe(1);
  const response = await page.goto(tamper(good));
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(demoInvoice("due").number)).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
});

test("portal responses keep the token from lingering", async ({ request }) => {
  const response = await request.get(demoInvoice("due").url);
  const headers = response.headers();
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-robots-tag"]).toContain("noindex");
  expect(headers["strict-transport-security"]).toContain("max-age=");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["cache-control"]).toContain("no-store");
});

test("a link made through the API opens the page", async ({ page, request }) => {
  const response = await request.post(`${baseUrl()}/api/v1/invoices`, {
    headers: { Authorization: `Bearer ${demo().apiKey}`, "Idempotency-Key": "e2e-api-1" },
    data: {
      number: "E2E-1",
      currency: "SEK",
      issue_date: "2026-11-01",
      due_date: "2099-12-31",
      customer: { external_id: "E2E-C", name: "E2E Kund AB", language: "en" },
      lines: [{ description: "Widget", quantity: 2, unit_price: 10000, vat_rate: 25, net: 20000, vat: 5000 }],
      total_net: 20000,
      total_vat: 5000,
      total: 25000,
    },
  });
  expect(response.status()).toBe(201);
  const invoice = await response.json();
  expect(invoice.portal_url.startsWith(`${baseUrl()}/i/`)).toBe(true);
  await page.goto(invoice.portal_url);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Invoice E2E-1");
});

test("health probes answer", async ({ request }) => {
  expect((await request.get(`${baseUrl()}/healthz`)).status()).toBe(200);
  const ready = await request.get(`${baseUrl()}/readyz`);
  expect(ready.status()).toBe(200);
});

test.afterAll(() => {
  // Runs last in this file: no working link may have been written to the server's log.
  const log = readFileSync(SERVER_LOG, "utf8");
  for (const invoice of demo().invoices) {
    const token = invoice.url.split("/i/")[1]!;
    expect(log.includes(token)).toBe(false);
  }
  expect(log).toContain('"path":"/i/~');
});
