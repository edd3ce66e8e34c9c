// The console's customers and campaigns in a real browser: a sales user looks a customer up on a
// phone and finds nothing that changes it; a member adds a billing contact (a refused form first,
// with the field named); an admin drafts a campaign and reads its report. Each page is clean under
// axe at 390 px and on a desk. Users are signed in by writing a session row, as the product's own
// sign-in would (that path has its own spec, console-sign-in.spec.ts).
import { test, expect } from "@playwright/test";
import { baseUrl, closeE2eDb, demoInvoice, e2eDb, inDays } from "./fixtures";
import { DESK, expectFitsAndClean, PHONE, signedIn } from "./console-session";

test.afterAll(closeE2eDb);
test.setTimeout(90_000);

async function demoCustomer(): Promise<{ id: string; name: string }> {
  const [row] = await e2eDb()<{ id: string; name: string }[]>`
    select c.id, c.name from customers c join invoices i on i.customer_id = c.id where i.id = ${demoInvoice("due").id}`;
  return row!;
}

test("a sales user finds a customer on a phone and sees no button that changes anything", async ({ browser }) => {
  const customer = await demoCustomer();
  const page = await signedIn(browser, "sales", PHONE);
  await page.goto("/app/customers");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kunder");
  // Sales reads customers but not campaigns.
  await expect(page.getByRole("navigation").getByRole("link", { name: "Kampanjer" })).toHaveCount(0);
  await expectFitsAndClean(page);

  await page.getByLabel("Sök kunder").fill(customer.name.slice(0, 6));
  await page.getByRole("button", { name: "Sök", exact: true }).click();
  // Other specs make customers of the same name: this one is the demo's.
  await page.locator(`a[href="/app/customers/${customer.id}"]`).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(customer.name);
  await expect(page.getByRole("heading", { name: "Fakturakontakter" })).toBeVisible();
  await expect(page.getByRole("link", { name: demoInvoice("due").number })).toHaveAttribute("href", `/app/invoices/${demoInvoice("due").id}`);
  await expect(page.locator("main form")).toHaveCount(0);
  await expect(page.locator("main button")).toHaveCount(0);
  await expectFitsAndClean(page);

  // A hand-made POST is refused all the same.
  const response = await page.request.post(`/app/customers/${customer.id}`, {
    form: { intent: "add-contact", email: "x@example.test", channel: "email" },
    headers: { origin: baseUrl() },
  });
  expect(response.status()).toBe(403);
});

test("a member adds a billing contact: a refused form names the fields, then it is saved", async ({ browser }) => {
  const customer = await demoCustomer();
  const page = await signedIn(browser, "member", DESK);
  await page.goto(`/app/customers/${customer.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(customer.name);
  await expectFitsAndClean(page);

  const name = `E2E Contact ${Date.now()}`;
  await page.getByText("Add a billing contact").click();
  const form = page.locator("form", { has: page.getByRole("button", { name: "Add the contact" }) });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Send invoices by").selectOption("post");
  await form.getByRole("button", { name: "Add the contact" }).click();
  // Post needs an address: each missing field is named, and what was typed is kept.
  const refused = page.locator("form", { has: page.getByRole("button", { name: "Add the contact" }) });
  await expect(refused.getByRole("alert")).toHaveText("Please correct the marked fields.");
  await expect(refused.getByLabel("Address", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(refused.getByLabel("Name")).toHaveValue(name);
  await expectFitsAndClean(page);

  await refused.getByLabel("Address", { exact: true }).fill("Storgatan 1");
  await refused.getByLabel("Postal code").fill("411 01");
  await refused.getByLabel("City").fill("Göteborg");
  await refused.getByRole("button", { name: "Add the contact" }).click();
  await expect(page.getByRole("heading", { level: 3, name })).toBeVisible();

  // And removed again, so the demo customer stays as it was.
  await page.getByRole("button", { name: new RegExp(`^Remove\\W+${name}$`) }).click();
  await expect(page.getByRole("heading", { level: 3, name })).toHaveCount(0);
});

test("an admin drafts a campaign and reads its report, on a desk and on a phone", async ({ browser }) => {
  const page = await signedIn(browser, "admin", DESK);
  await page.goto("/app/campaigns");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Contact-update campaigns");
  await page.getByLabel("Name").fill(`E2E check ${Date.now()}`);
  await page.getByLabel("Message to the customers").fill("Please check who should receive our invoices.");
  await page.getByLabel("Deadline").fill(inDays(30));
  await page.getByRole("button", { name: "Create the draft" }).click();
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Start the campaign" })).toBeVisible();
  await expectFitsAndClean(page);
  const report = page.url();

  const phone = await signedIn(browser, "admin", PHONE);
  await phone.goto("/app/campaigns");
  await expectFitsAndClean(phone);
  await phone.goto(report);
  await expect(phone.getByRole("link", { name: "Ladda ner svaren (CSV)" })).toBeVisible();
  await expectFitsAndClean(phone);
});

test("an owner's settings pages (API keys, webhooks) fit a phone and pass axe", async ({ browser }) => {
  const page = await signedIn(browser, "owner", PHONE);
  await page.goto("/app/settings/api-keys");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API-nycklar");
  await page.getByLabel("Namn").fill("E2E");
  await page.getByRole("button", { name: "Skapa nyckeln" }).click();
  await expect(page.getByRole("heading", { name: "Din nya API-nyckel" })).toBeVisible();
  await expectFitsAndClean(page);
  await page.goto("/app/settings/webhooks");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Webhook-mottagare");
  await expectFitsAndClean(page);
});
