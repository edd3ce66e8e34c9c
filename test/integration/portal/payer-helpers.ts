// Shared by the payer-* integration tests: a supplier with a notification address, a customer
// with a billing contact, invoices with working links, and the portal's POST as a browser sends it.
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { emails, events, webhookMessages } from "../../../db/schema";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { createApiKey } from "~/api/db/api-keys.server";
import { insertBillingContact } from "~/features/customers/db/customers.server";
import { action, loader } from "~/routes/i.$token";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import type { PortalPage } from "~/features/portal/portal.server";
import { addDeliveries } from "~/features/invoices/deliveries.server";
import { callRoute, TEST_BASE_URL } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer, type InvoiceOverrides, type PortalFixture } from "../../support/fixtures";

export const SUPPLIER_INBOX = "ar@nordljus.example";
export const BILLING_EMAIL = "ekonomi@fjallbacka.example";
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/** What a browser sends with a form POST from our own page. */
export const SAME_ORIGIN = { origin: TEST_BASE_URL, "sec-fetch-site": "same-origin", "user-agent": BROWSER_UA };

export type PayerFixture = PortalFixture & {
  contactId: string;
  apiKey: string;
  api: Record<string, string>;
  another: (overrides?: InvoiceOverrides) => Promise<PortalFixture>;
};

export async function payerFixture(
  db: Db,
  config: Config,
  options: { invoice?: InvoiceOverrides; notificationEmail?: string | null; customerLanguage?: "sv" | "en" } = {},
): Promise<PayerFixture> {
  const owner = await createSupplierWithCustomer(db, {
    supplier: { notificationEmail: options.notificationEmail === undefined ? SUPPLIER_INBOX : options.notificationEmail },
    customerLanguage: options.customerLanguage ?? "en",
  });
  const contactId = await insertBillingContact(db, {
    supplierId: owner.supplier.id,
    customerId: owner.customerId,
    email: BILLING_EMAIL,
    language: "sv",
  });
  const key = await createApiKey(db, owner.supplier.id);
  const fixture = await createInvoiceWithLink(db, config, owner, options.invoice);
  return {
    ...fixture,
    contactId,
    apiKey: key.key,
    api: { authorization: `Bearer ${key.key}` },
    another: (overrides) => createInvoiceWithLink(db, config, owner, overrides),
  };
}

export async function withDeliveries(db: Db, fixture: PayerFixture, items: unknown[]) {
  const result = await addDeliveries(db, {
    supplierId: fixture.supplier.id,
    apiKeyId: "key_test",
    invoiceId: fixture.invoice.id,
    input: { deliveries: items },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  return result.deliveries;
}

export const newSubmissionId = () => randomBytes(16).toString("base64url");

export type PostOptions = {
  headers?: Record<string, string>;
  /** Sent as multipart/form-data (with the file, when given) instead of urlencoded. */
  multipart?: boolean;
  file?: { name: string; bytes: Uint8Array; type?: string };
  query?: string;
};

/** POSTs a portal form; fields without submission_id get a fresh one. */
export function post(
  context: AppLoadContext,
  token: string,
  fields: Record<string, string | string[]>,
  options: PostOptions = {},
): Promise<Response> {
  const entries: [string, string][] = Object.entries({ submission_id: newSubmissionId(), ...fields }).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((item) => [name, item] as [string, string]),
  );
  // intent first, as the page renders it, so an oversized file is still reported in its own form
  entries.sort(([a], [b]) => Number(b === "intent") - Number(a === "intent"));
  let body: BodyInit;
  if (options.multipart || options.file) {
    const form = new FormData();
    for (const [name, value] of entries) form.append(name, value);
    if (options.file) form.append("attachment", new File([Buffer.from(options.file.bytes)], options.file.name, { type: options.file.type ?? "application/octet-stream" }));
    body = form;
  } else {
    body = new URLSearchParams(entries);
  }
  return callRoute(action, context, {
    method: "POST",
    path: `/i/${token}${options.query ?? ""}`,
    params: { token },
    headers: options.headers ?? SAME_ORIGIN,
    body,
  });
}

export type LoadedPage = PortalPage & { panel: PayerPanel };

/** Opens the page as a person's browser would (so the view counts as human). */
export async function openPage(context: AppLoadContext, token: string, query = ""): Promise<LoadedPage> {
  const browser = { ...context, request: { ...context.request, userAgent: BROWSER_UA } };
  const response = await callRoute(loader, browser, {
    path: `/i/${token}${query}`,
    params: { token },
    headers: { accept: "text/html", "sec-fetch-mode": "navigate", "user-agent": BROWSER_UA },
  });
  if (response.status !== 200) throw new Error(`page answered ${response.status}`);
  return (await response.json()) as LoadedPage;
}

export async function emailsOf(db: Db, invoiceId: string) {
  return db.select().from(emails).where(eq(emails.invoiceId, invoiceId)).orderBy(emails.createdAt, emails.toAddress);
}

export async function eventsOf(db: Db, invoiceId: string, type?: string) {
  const rows = await db.select().from(events).where(eq(events.invoiceId, invoiceId)).orderBy(events.seq);
  return type ? rows.filter((row) => row.type === type) : rows;
}

export async function webhookMessagesOf(db: Db, supplierId: string, type?: string) {
  const condition = type
    ? and(eq(webhookMessages.supplierId, supplierId), eq(webhookMessages.type, type))
    : eq(webhookMessages.supplierId, supplierId);
  return db.select().from(webhookMessages).where(condition).orderBy(webhookMessages.createdAt);
}

const COUNTED = ["events", "emails", "webhook_messages", "disputes", "attachments", "deliveries", "contacts", "form_submissions", "invoices"] as const;

/** Row counts and a digest of the invoices and contacts: equal before and after means nothing changed. */
export async function snapshot(db: Db): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of COUNTED) {
    const [row] = await db.execute<{ count: string; digest: string | null }>(
      sql`select count(*)::text as count, md5(string_agg(t::text, '|' order by t::text)) as digest from ${sql.identifier(table)} t`,
    );
    result[table] = table === "events" ? row!.count : `${row!.count}:${row!.digest}`;
  }
  return result;
}

/** Fake file contents: the magic bytes decide, so a few bytes after them suffice. */
export const FILES = {
  pdf: Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(2000)]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2000)]),
  exe: Buffer.concat([Buffer.from("MZ"), Buffer.from([0x90, 0, 3, 0]), randomBytes(2000)]),
};
