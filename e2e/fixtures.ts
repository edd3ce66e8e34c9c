import { expect, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import type { AxeResults } from "axe-core";
import postgres from "postgres";
import type { Demo } from "../db/seed";

/** The demo data the global setup seeded into the server under test. */
export function demo(): Demo {
  const raw = process.env.E2E_DEMO;
  if (!raw) throw new Error("E2E_DEMO is not set: run the e2e tests through Playwright's global setup");
  return JSON.parse(raw) as Demo;
}

export function demoInvoice(label: Demo["invoices"][number]["label"]) {
  const invoice = demo().invoices.find((candidate) => candidate.label === label);
  if (!invoice) throw new Error(`no demo invoice labelled ${label}`);
  return invoice;
}

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set");
  return url;
}

/** A token with one character changed: the signature no longer matches. */
export function tamper(url: string): string {
  const last = url.at(-1) === "A" ? "B" : "A";
  return url.slice(0, -1) + last;
}

let sql: postgres.Sql | undefined;
/** The database of the server under test (the outbox, counts); close it in the spec's afterAll. */
export const e2eDb = () => (sql ??= postgres(process.env.E2E_DATABASE_URL ?? "", { max: 1, onnotice: () => {} }));
export async function closeE2eDb() {
  await sql?.end();
  sql = undefined;
}

export const apiHeaders = () => ({ authorization: `Bearer ${demo().apiKey}` });

export function inDays(days: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export type CreatedInvoice = { id: string; number: string; url: string; billingEmail: string };

/** As a supplier's ERP would: a new invoice (and customer) through the API; its link opens the page. */
export async function newInvoice(
  request: APIRequestContext,
  label: string,
  options: { currency?: "SEK" | "EUR"; send?: boolean } = {},
): Promise<CreatedInvoice> {
  const unique = `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const billingEmail = `ap-${unique.toLowerCase()}@kund.example`;
  const response = await request.post(`${baseUrl()}/api/v1/invoices`, {
    headers: apiHeaders(),
    data: {
      number: `E2E-${unique}`,
      currency: options.currency ?? "SEK",
      issue_date: inDays(-5),
      due_date: inDays(25),
      customer: { external_id: `E2E-${unique}`, name: "Kund & Co AB", email: billingEmail, language: "en" },
      lines: [
        { description: "Consulting hours", quantity: 10, unit_price: 95000, vat_rate: 25, net: 950000, vat: 237500 },
        { description: "Course books", quantity: 3, unit_price: 45000, vat_rate: 6, net: 135000, vat: 8100 },
      ],
      total_net: 1085000,
      total_vat: 245600,
      total: 1330600,
      ...(options.send ? { send: true } : {}),
    },
  });
  expect(response.status()).toBe(201);
  const body = await response.json();
  return { id: body.id, number: body.number, url: `${body.portal_url}?lang=en`, billingEmail };
}

export async function eventTypes(request: APIRequestContext, invoiceId: string): Promise<string[]> {
  const response = await request.get(`${baseUrl()}/api/v1/invoices/${invoiceId}/events`, { headers: apiHeaders() });
  expect(response.status()).toBe(200);
  return (await response.json()).data.map((event: { type: string }) => event.type);
}

/** Mail as the outbox holds it; the in-process worker delivers it shortly. */
export async function expectMail(invoiceId: string, template: string, to: string) {
  await expect
    .poll(async () => {
      const rows = await e2eDb()`select status from emails where invoice_id = ${invoiceId} and template = ${template} and to_address = ${to}`;
      return rows.map((row) => row.status);
    }, { timeout: 15_000 })
    .toEqual(["sent"]);
}

export type ReceivedEmail = { to: string[]; subject: string; html: string; text: string; attachments?: { filename: string; content: string }[] };

/** What a payer's inbox got: the email to `to` whose subject mentions `about`, as the (fake) Resend received it. */
export async function receivedEmail(to: string, about: string): Promise<ReceivedEmail> {
  let found: ReceivedEmail | undefined;
  await expect
    .poll(async () => {
      const response = await fetch(`${process.env.E2E_RESEND_URL}/emails`);
      const { data } = (await response.json()) as { data: ReceivedEmail[] };
      found = data.find((email) => email.to.includes(to) && email.subject.includes(about));
      return found !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return found!;
}

/**
 * Serious and critical violations fail the run, and so does any colour-contrast result axe could
 * not decide: it files identical foreground and background colours (text that cannot be seen at
 * all, like a blank "Pay now" button) as "incomplete", not as a violation.
 */
export async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect([...serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), ...undecidedContrast(results)]).toEqual([]);
}

/** Every colour-contrast node axe filed as "incomplete", one line each (the selector and why). */
export function undecidedContrast(results: AxeResults): string[] {
  return results.incomplete
    .filter((result) => result.id === "color-contrast")
    .flatMap((result) => result.nodes.map((node) => `color-contrast (incomplete): ${node.target.join(" ")} ${node.any.map((check) => check.message).join("; ")}`));
}
