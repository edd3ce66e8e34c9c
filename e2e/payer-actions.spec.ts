// Issue 3, "Done when": a payer opens a link and confirms; on another invoice reports a wrong
// amount on one line; approves one delivery and reports a damaged item on another; changes the
// billing email. Each time the result shows on the page and in the API's events, the supplier's
// notification is in the outbox (the emails table of the server under test), and a repeated
// submit changes nothing. Everything again with JavaScript disabled.
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_NOTIFICATION_EMAIL } from "../db/seed";
import {
  apiHeaders as api, baseUrl, closeE2eDb, e2eDb as db, eventTypes, expectMail, expectNoSeriousAxeViolations, newInvoice,
} from "./fixtures";

const SUPPLIER = "Demoföretaget AB";
test.afterAll(closeE2eDb);

async function counts(invoiceId: string) {
  const [row] = await db()`select
      (select count(*) from events where invoice_id = ${invoiceId} and type <> 'invoice.viewed')::int as events,
      (select count(*) from emails where invoice_id = ${invoiceId})::int as emails,
      (select count(*) from disputes where invoice_id = ${invoiceId})::int as disputes`;
  return row;
}

/** The hidden and visible fields of the form that holds this button, as the browser would send them. */
async function formFields(button: ReturnType<Page["getByRole"]>): Promise<Record<string, string>> {
  return button.evaluate((element) => {
    const form = (element as HTMLButtonElement).form!;
    const fields: Record<string, string> = {};
    for (const [name, value] of new FormData(form)) if (typeof value === "string") fields[name] = value;
    return fields;
  });
}

/** A double submit: the same form data posted again after the first one succeeded. */
async function resubmit(request: APIRequestContext, url: string, fields: Record<string, string>) {
  const response = await request.post(url, { form: fields, maxRedirects: 0 });
  expect(response.status()).toBe(303);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`payer actions, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled, locale: "en-GB" });

    test("confirms the invoice with a name and PO number", async ({ page, request }) => {
      const invoice = await newInvoice(request, "confirm");
      await page.goto(invoice.url);
      await page.getByText("Add your name and reference (optional)").click();
      await page.getByLabel("Your name", { exact: true }).fill("Anna Andersson");
      await page.getByLabel("Your reference or PO number").fill("PO-4711");
      const button = page.getByRole("button", { name: "The invoice is correct" });
      const fields = await formFields(button);
      await button.click();

      await expect(page.getByRole("status")).toHaveText(`Thank you. The invoice is confirmed and ${SUPPLIER} has been told.`);
      await expect(page.getByText(/^Confirmed by Anna Andersson on \d+ \w+ \d{4}/)).toBeVisible();
      await expect(page.getByRole("button", { name: "The invoice is correct" })).toHaveCount(0);
      expect(new URL(page.url()).searchParams.get("done")).toBe("confirm");
      expect(await eventTypes(request, invoice.id)).toContain("invoice.confirmed");
      await expectMail(invoice.id, "invoice-confirmed", DEMO_NOTIFICATION_EMAIL);

      const before = await counts(invoice.id);
      await resubmit(request, invoice.url, fields);
      await page.reload();
      expect(await counts(invoice.id)).toEqual(before);
      await expect(page.getByText(/^Confirmed by Anna Andersson/)).toBeVisible();
    });

    test("reports a wrong amount on one line", async ({ page, request }) => {
      const invoice = await newInvoice(request, "report");
      await page.goto(invoice.url);
      await page.getByText("Something is wrong – report a problem").click();
      await page.getByLabel("What is wrong?").selectOption({ label: "Wrong amount or price" });
      await page.getByLabel("Line 1: Consulting hours").check();
      await page.getByLabel(`Message to ${SUPPLIER}`).fill("We agreed 900 kr per hour.");
      await page.getByLabel("Attach a file (optional)").setInputFiles({
        name: "agreement.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.7\n% agreement\n"),
      });
      const button = page.getByRole("button", { name: "Send the report" });
      await button.click();

      await expect(page.getByRole("status")).toHaveText(`Thank you. Your report has been sent to ${SUPPLIER}.`);
      await expect(page.getByText("Wrong amount or price · the invoice")).toBeVisible();
      await expect(page.getByText(`Open – waiting for an answer from ${SUPPLIER}`)).toBeVisible();
      await expect(page.getByText(/lines 1 · attached: agreement\.pdf/)).toBeVisible();
      await expect(page.getByText(/Disputed/).first()).toBeVisible();
      await expect(page.getByRole("button", { name: "The invoice is correct" })).toHaveCount(0);
      expect(await eventTypes(request, invoice.id)).toContain("invoice.disputed");
      await expectMail(invoice.id, "new-problem", DEMO_NOTIFICATION_EMAIL);

      // The browser cannot send the same one-time id twice by itself; a retry or back+resubmit can.
      const [claimed] = await db()`select id from form_submissions where invoice_id = ${invoice.id}`;
      const submissionId = String(claimed?.id);
      const before = await counts(invoice.id);
      await resubmit(request, invoice.url, { intent: "report-problem", submission_id: submissionId, reason: "wrong_amount", lines: "0" });
      expect(await counts(invoice.id)).toEqual(before);
    });

    test("approves one delivery and reports a damaged item on another", async ({ page, request }) => {
      const invoice = await newInvoice(request, "deliveries");
      const added = await request.post(`${baseUrl()}/api/v1/invoices/${invoice.id}/deliveries`, {
        headers: api(),
        data: { deliveries: [{ description: "Consulting on site", location: "Göteborg", lines: [0] }, { description: "Course books, 3 pcs", lines: [1] }] },
      });
      expect(added.status()).toBe(201);
      await page.goto(invoice.url);

      const consulting = page.getByRole("article", { name: "Consulting on site" });
      const approve = consulting.getByRole("button", { name: /Received and accepted/ });
      const approveFields = await formFields(approve);
      await approve.click();
      await expect(page.getByRole("status")).toHaveText("Thank you. The delivery is approved.");
      await expect(page.getByRole("article", { name: "Consulting on site" }).locator(".delivery__status")).toHaveText("Received and accepted");

      const books = page.getByRole("article", { name: "Course books, 3 pcs" });
      await books.getByText("Report a problem with this delivery").click();
      await books.getByLabel("What is wrong?").selectOption({ label: "Damaged" });
      await books.getByLabel("Line 2: Course books").check();
      await books.getByLabel(`Message to ${SUPPLIER}`).fill("One book arrived torn.");
      await books.getByRole("button", { name: "Send the report" }).click();
      await expect(page.getByRole("status")).toHaveText(`Thank you. Your report about the delivery has been sent to ${SUPPLIER}.`);
      await expect(page.getByRole("article", { name: "Course books, 3 pcs" }).locator(".delivery__status")).toHaveText("Problem reported");
      await expect(page.getByText("Damaged · delivery: Course books, 3 pcs")).toBeVisible();

      const types = await eventTypes(request, invoice.id);
      expect(types).toEqual(expect.arrayContaining(["delivery.added", "delivery.approved", "delivery.disputed"]));
      await expectMail(invoice.id, "new-problem", DEMO_NOTIFICATION_EMAIL);
      const deliveries = await (await request.get(`${baseUrl()}/api/v1/invoices/${invoice.id}/deliveries`, { headers: api() })).json();
      expect(deliveries.data.map((delivery: { status: string }) => delivery.status)).toEqual(["approved", "problem"]);

      const before = await counts(invoice.id);
      await resubmit(request, invoice.url, approveFields);
      expect(await counts(invoice.id)).toEqual(before);
    });

    test("changes the billing email; a bad address is named next to its field first", async ({ page, request }) => {
      const invoice = await newInvoice(request, "contact");
      await page.goto(invoice.url);
      const contact = page.getByRole("article", { name: invoice.billingEmail });
      await contact.getByText("Change this contact").click();
      const email = contact.getByLabel("Email for invoices");
      // "a@b" passes the browser's own check but is no deliverable address: the server says so.
      await email.fill("a@b");
      await contact.getByRole("button", { name: "Save the contact" }).click();
      const form = page.getByRole("article", { name: invoice.billingEmail });
      await expect(form.getByText("Enter an email address such as name@example.com.")).toBeVisible();
      await expect(form.getByLabel("Email for invoices")).toHaveAttribute("aria-invalid", "true");
      // axe runs as a script in the page, so it can only check the page with JavaScript on.
      if (javaScriptEnabled) await expectNoSeriousAxeViolations(page);

      await form.getByLabel("Email for invoices").fill("invoices@kund.example");
      const save = form.getByRole("button", { name: "Save the contact" });
      const fields = await formFields(save);
      await save.click();
      await expect(page.getByRole("status")).toHaveText("The billing contact has been saved.");
      await expect(page.getByRole("article", { name: "invoices@kund.example" })).toBeVisible();
      expect(await eventTypes(request, invoice.id)).toContain("contact.updated");
      await expectMail(invoice.id, "contact-changed", invoice.billingEmail);
      await expectMail(invoice.id, "contact-changed", "invoices@kund.example");

      const before = await counts(invoice.id);
      await resubmit(request, invoice.url, fields);
      expect(await counts(invoice.id)).toEqual(before);
    });
  });
}

test("with every form open the page passes axe, and a payer can confirm by keyboard alone", async ({ page, request }) => {
  const invoice = await newInvoice(request, "a11y");
  await request.post(`${baseUrl()}/api/v1/invoices/${invoice.id}/deliveries`, { headers: api(), data: { deliveries: [{ description: "Pallet" }] } });
  await page.goto(invoice.url);
  for (const summary of await page.locator("details > summary").all()) await summary.click();
  await expectNoSeriousAxeViolations(page);

  await page.goto(invoice.url);
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent)) === "The invoice is correct") break;
  }
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toHaveText(`Thank you. The invoice is confirmed and ${SUPPLIER} has been told.`);
});

test("a cross-site form POST is refused and changes nothing", async ({ page, request }) => {
  const invoice = await newInvoice(request, "csrf");
  const before = await counts(invoice.id);
  const response = await request.post(invoice.url, {
    form: { intent: "confirm", submission_id: "AAAAAAAAAAAAAAAAAAAAAA" },
    headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  expect(await counts(invoice.id)).toEqual(before);
  await page.goto(invoice.url);
  await expect(page.getByRole("button", { name: "The invoice is correct" })).toBeVisible();
});
