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
