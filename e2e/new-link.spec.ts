// "Send a new link" (security L6): a payer opens an expired link on a phone, gets the one 404 page
// every dead link gets, asks for a new link, sees the same answer whatever the link was, and the
// billing contact on file is sent a fresh link.
import { test, expect, type APIRequestContext } from "@playwright/test";
import {
  baseUrl, closeE2eDb, e2eDb as db, eventTypes, expectMail, expectNoSeriousAxeViolations, newInvoice, tamper,
} from "./fixtures";

test.afterAll(closeE2eDb);

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "en-GB",
  userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
};

/** An invoice made through the API whose link has since expired (its row says so). */
async function expiredInvoice(request: APIRequestContext, label: string) {
  const invoice = await newInvoice(request, label);
  await db()`update links set expires_at = now() - interval '1 minute' where invoice_id = ${invoice.id}`;
  return invoice;
}

/** What a visitor gets, without the per-response CSP nonce. */
const page404 = (html: string) => html.replace(/nonce="[^"]+"/g, "");

test("an expired link offers a new one; the billing contact on file is sent a fresh link", async ({ browser, request }) => {
  const invoice = await expiredInvoice(request, "new-link");
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();

  const response = await page.goto(invoice.url);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link does not work");
  await expect(page.getByText("Is this your invoice? We can email a new link to the billing contacts we have on file.")).toBeVisible();
  await expect(page.getByRole("textbox")).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoSeriousAxeViolations(page);

  const [answer] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === "POST"),
    page.getByRole("button", { name: "Send a new link" }).click(),
  ]);
  expect(answer.status()).toBe(202);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Request received");
  await expect(page.getByRole("status")).toHaveText("If this link is ours, a new link is on its way to the billing contacts on file.");
  await expect(page).toHaveTitle("Request received");
  await expectNoSeriousAxeViolations(page);
  await context.close();

  expect(await eventTypes(request, invoice.id)).toContain("link.requested");
  await expectMail(invoice.id, "new-link", invoice.billingEmail);
  // The stored message holds a placeholder, never the bearer link (a database dump yields no working
  // link); the link it was sent with is a fresh row that opens: live, current version, not expired.
  const [link] = await db()`select l.revoked_at, l.expires_at > now() as live, l.version = i.link_version as current
      from emails e join links l on l.id = e.link_id join invoices i on i.id = l.invoice_id
      where e.invoice_id = ${invoice.id} and e.template = 'new-link'`;
  expect(link).toEqual({ revoked_at: null, live: true, current: true });
});

test("the 404 page and the answer to the form are the same for every dead or forged link", async ({ request }) => {
  const expired = await expiredInvoice(request, "new-link-same");
  const bare = expired.url.split("?")[0]!;
  const dead = [expired.url, `${tamper(bare)}?lang=en`, `${baseUrl()}/i/nope?lang=en`];
  const headers = { "Accept-Language": "en" };

  const pages = new Set<string>();
  for (const url of dead) {
    const response = await request.get(url, { headers });
    expect(response.status()).toBe(404);
    pages.add(page404(await response.text()));
  }
  expect(pages.size).toBe(1);

  const answers = new Set<string>();
  for (const url of dead) {
    const response = await request.post(url, {
      headers: { ...headers, Origin: baseUrl(), "Sec-Fetch-Site": "same-origin" },
      form: { intent: "request-link", email: "attacker@example.com" },
    });
    expect(response.status()).toBe(202);
    answers.add(page404(await response.text()));
  }
  expect(answers.size).toBe(1);
  const [attacked] = await db()`select count(*)::int as count from emails where to_address = 'attacker@example.com'`;
  expect(attacked?.count).toBe(0);
});
