// A contact-update campaign as its people meet it: the supplier creates and starts it through the
// API, the customer's email arrives (through the real Resend SDK, at a local fake), its link opens
// the campaign page on a phone, one email address is corrected, the page confirms it, and the
// supplier sees the new address and the answer through the API.
import { expect, test } from "@playwright/test";
import { apiHeaders, baseUrl, expectNoSeriousAxeViolations, inDays, newInvoice, receivedEmail } from "./fixtures";

test("a customer corrects its billing email from the campaign email and the supplier sees it", async ({ page, request }) => {
  // A customer of the supplier (created with its first invoice, as an ERP would).
  const invoice = await newInvoice(request, "campaign");
  const invoiceJson = await (await request.get(`${baseUrl()}/api/v1/invoices/${invoice.id}`, { headers: apiHeaders() })).json();
  const customerId: string = invoiceJson.customer.id;
  expect(invoiceJson.customer.contacts_confirmed_at).toBeNull();

  const created = await request.post(`${baseUrl()}/api/v1/campaigns`, {
    headers: apiHeaders(),
    data: {
      name: "Annual check",
      audience: { customer_ids: [customerId] },
      message: "Once a year we ask our customers who should receive our invoices.",
      deadline: inDays(30),
    },
  });
  expect(created.status()).toBe(201);
  const campaign = await created.json();
  expect((await request.post(`${baseUrl()}/api/v1/campaigns/${campaign.id}/start`, { headers: apiHeaders() })).status()).toBe(202);

  const email = await receivedEmail(invoice.billingEmail, "invoicing details");
  expect(email.text).toContain("Once a year we ask our customers");
  const link = /https?:\/\/[^\s"<>]+\/c\/[A-Za-z0-9._-]+/.exec(email.text)?.[0];
  expect(link).toBeDefined();
  expect(email.html).toContain(link!);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${link}?lang=en`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your invoicing details");
  await expect(page.getByText(invoice.billingEmail).first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  const newAddress = `invoices-${Date.now()}@kund.example`;
  await page.getByText("Change this contact").first().click();
  const email_ = page.getByLabel("Email for invoices").first();
  await email_.fill(newAddress);
  await page.getByRole("button", { name: "Save the contact" }).first().click();

  await expect(page.getByText("Thank you — your details are updated")).toBeVisible();
  await expect(page.getByText(newAddress).first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // The supplier sees the new address on the customer, the date on its invoices, and the answer.
  const customer = await (await request.get(`${baseUrl()}/api/v1/customers/${customerId}`, { headers: apiHeaders() })).json();
  expect(customer.contacts.map((contact: { email: string }) => contact.email)).toContain(newAddress);
  expect(customer.contacts_confirmed_at).not.toBeNull();
  const report = await (await request.get(`${baseUrl()}/api/v1/campaigns/${campaign.id}`, { headers: apiHeaders() })).json();
  expect(report.counts).toMatchObject({ customers: 1, sent: 1, opened: 1, corrected: 1, no_answer: 0 });
  expect(report.recipients.data[0]).toMatchObject({ customer_id: customerId, state: "corrected", answer: "corrected" });
});
