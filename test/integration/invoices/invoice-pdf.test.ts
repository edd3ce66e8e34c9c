// The invoice copy as a PDF on real PostgreSQL: the payer's download under the signed link (the
// page's language, the page's 404, no state change, one invoice per link), the supplier's API
// (its own invoices only), and both through Express and Remix's router with the portal's headers
// and rate limit. PDFs are read back with pdfjs.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import pino from "pino";
import type { AppLoadContext } from "@remix-run/node";
import { contacts, invoices } from "../../../db/schema";
import type { Config } from "~/platform/config.server";
import { newPublicId } from "~/domain/public-id";
import { createApiKey } from "~/api/db/api-keys.server";
import { listInvoiceEvents } from "~/platform/audit/db/events.server";
import { shortHash } from "~/platform/logger.server";
import { issueInvoiceLink, reissueInvoiceLink } from "~/features/links/links.server";
import { parseLinkSigningKeys, signLinkToken, newLinkId } from "~/domain/link-token";
import * as pageRoute from "~/routes/i.$token";
import * as pdfRoute from "~/routes/i.$token.invoice[.]pdf";
import * as invoiceRoute from "~/routes/api.v1.invoices.$id";
import * as apiPdfRoute from "~/routes/api.v1.invoices.$id.pdf";
import { useTestDatabase } from "../../support/database";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { callRoute, testConfig, testContext } from "../../support/context";
import {
  createInvoiceWithLink, createPortalFixture, createSupplierWithCustomer, STANDARD_INVOICE, type PortalFixture,
} from "../../support/fixtures";
import { pdfText } from "../../support/pdf-text";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;

const BROWSER = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "sec-fetch-mode": "navigate",
  "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
};

function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), lines };
}

function context(log?: pino.Logger): AppLoadContext {
  const base = testContext(database.get(), config);
  return log ? { ...base, app: { ...base.app, log } } : base;
}

function download(token: string, options: { query?: string; headers?: Record<string, string>; log?: pino.Logger } = {}) {
  return callRoute(pdfRoute.loader, context(options.log), {
    path: `/i/${token}/invoice.pdf${options.query ?? ""}`,
    params: { token },
    headers: options.headers ?? BROWSER,
  });
}

function visit(token: string, headers: Record<string, string> = BROWSER) {
  return callRoute(pageRoute.loader, context(), { path: `/i/${token}`, params: { token }, headers });
}

async function ocrOf(invoiceId: string): Promise<string> {
  const [row] = await db().select({ ocr: invoices.ocr }).from(invoices).where(eq(invoices.id, invoiceId));
  return row!.ocr;
}

async function textOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/pdf");
  return pdfText(new Uint8Array(await response.arrayBuffer()));
}

const snapshot = async (response: Response) => JSON.stringify({ status: response.status, headers: [...response.headers], body: await response.text() });

describe("GET /i/<token>/invoice.pdf", () => {
  it("downloads the copy in the supplier's language by default, named after the invoice, never cached", async () => {
    const f = await createPortalFixture(db(), config, { invoice: { amountPaid: 200_000 } });
    await db().insert(contacts).values({
      id: newPublicId("con"), supplierId: f.supplier.id, customerId: f.customerId, name: "Örjan Ek",
      invoiceReference: "PO 4711", addressLine1: "Storgatan 1", postalCode: "452 30", city: "Strömstad",
    });
    const response = await download(f.token);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="faktura-${f.invoice.number}.pdf"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const { text } = await textOf(response);
    for (const expected of [
      "KOPIA", "Nordljus Konsult AB", "Fjällbacka Bygg AB", "Att. Örjan Ek", "Er referens: PO 4711", "452 30 Strömstad",
      `Fakturanummer | ${f.invoice.number}`, "Förfallodatum | 31 mars 2026", `OCR-nummer | ${await ocrOf(f.invoice.id)}`,
      "Consulting, March", "Book: Payment terms", "Totalt | 12 297,00 kr", "Att betala | 10 297,00 kr",
      "Bankgiro | 5050-1055",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("chooses the language as the page does: ?lang=, then the customer's, then the browser's", async () => {
    const f = await createPortalFixture(db(), config);
    const english = await download(f.token, { query: "?lang=en" });
    expect(english.headers.get("content-disposition")).toBe(`attachment; filename="invoice-${f.invoice.number}.pdf"`);
    expect((await textOf(english)).text).toContain("Amount due | SEK 12,297.00");

    const customer = await createPortalFixture(db(), config, { customerLanguage: "en" });
    expect((await textOf(await download(customer.token))).text).toContain("INVOICE");

    const browser = { ...BROWSER, "accept-language": "en-GB,en;q=0.8" };
    const page = (await (await visit(f.token, browser)).json()) as { locale: string };
    expect(page.locale).toBe("en");
    expect((await textOf(await download(f.token, { headers: browser }))).text).toContain("Due date | 31 March 2026");
  });

  it("changes nothing: no event, no row touched, however often it is fetched (security L3)", async () => {
    const f = await createPortalFixture(db(), config);
    const events = await listInvoiceEvents(db(), f.supplier.id, f.invoice.id);
    const [before] = await db().select().from(invoices).where(eq(invoices.id, f.invoice.id));
    const fetches: Record<string, string>[] = [BROWSER, { "user-agent": "Mozilla/5.0 (compatible; SafeLinks scanner)" }, {}];
    for (const headers of fetches) {
      expect((await download(f.token, { headers })).status).toBe(200);
    }
    expect(await listInvoiceEvents(db(), f.supplier.id, f.invoice.id)).toEqual(events);
    const [after] = await db().select().from(invoices).where(eq(invoices.id, f.invoice.id));
    expect(after).toEqual(before);
  });

  it("gives one link's invoice only: a second invoice's id in the query changes nothing", async () => {
    const owner = await createSupplierWithCustomer(db());
    const mine = await createInvoiceWithLink(db(), config, owner);
    const other = await createInvoiceWithLink(db(), config, owner);
    const response = await download(mine.token, { query: `?id=${other.invoice.id}&invoice=${other.invoice.id}&number=${other.invoice.number}` });
    const { text } = await textOf(response);
    expect(text).toContain(`Fakturanummer | ${mine.invoice.number}`);
    expect(text).not.toContain(other.invoice.number);
    expect((await textOf(await download(other.token))).text).toContain(`Fakturanummer | ${other.invoice.number}`);
  });

  async function rejectedTokens(): Promise<Record<string, string>> {
    const f = await createPortalFixture(db(), config);
    const [kid, payload, signature] = f.token.split(".") as [string, string, string];
    const revoked = await createPortalFixture(db(), config);
    await reissueInvoiceLink(db(), config, revoked.invoice, { actor: "supplier" });
    const shortLived: Config = testConfig({ LINK_MAX_AGE_DAYS: "30" });
    const owner = await createSupplierWithCustomer(db());
    const base = await createInvoiceWithLink(db(), config, owner);
    const old = await issueInvoiceLink(db(), shortLived, base.invoice, { actor: "system", reason: "created" }, new Date(Date.now() - 31 * 86_400_000));
    const settled = await createPortalFixture(db(), config, {
      invoice: { amountPaid: STANDARD_INVOICE.total, paidAt: new Date(Date.now() - (config.linkGraceDays + 1) * 86_400_000) },
    });
    const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
    return {
      tampered: `${kid}.${payload}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`,
      unknownKid: signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, parseLinkSigningKeys("other:ffffffffffffffffffffffffffffffffffffffff")),
      unknownLink: signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, config.linkKeys),
      revoked: revoked.token,
      expired: old.url.split("/i/")[1]!,
      settledLongAgo: settled.token,
      malformed: "not-a-token",
    };
  }

  it("answers every kind of bad link with the page's own 404, and logs a hash of the token, never the token", async () => {
    const tokens = await rejectedTokens();
    const { log, lines } = captureLog();
    const seen = new Set<string>();
    for (const [name, token] of Object.entries(tokens)) {
      const pdf = await download(token, { log });
      const page = await visit(token);
      expect(pdf.status, name).toBe(404);
      const answer = await snapshot(pdf);
      expect(answer, name).toBe(await snapshot(page));
      seen.add(answer);
    }
    expect(seen.size).toBe(1);
    expect(JSON.parse([...seen][0]!)).toEqual({ status: 404, headers: [["cache-control", "private, no-store"]], body: "" });

    const rejected = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === "link rejected for the invoice PDF");
    expect(rejected.map((entry) => entry.reason)).toEqual(["bad_signature", "unknown_key", "unknown", "revoked", "expired", "expired", "malformed"]);
    Object.values(tokens).forEach((token, index) => expect(rejected[index]).toMatchObject({ tokenHash: shortHash(token), ip: "203.0.113.7" }));
    const logged = lines.join("\n");
    for (const token of Object.values(tokens)) {
      for (const part of token.split(".").filter((part) => part.length >= 20)) expect(logged).not.toContain(part);
    }
  });
});

describe("GET /api/v1/invoices/:id/pdf", () => {
  async function fixture(options: { customerLanguage?: "sv" | "en" } = {}) {
    const f = await createPortalFixture(db(), config, options);
    const key = await createApiKey(db(), f.supplier.id);
    return { ...f, api: { authorization: `Bearer ${key.key}` } };
  }
  const get = (id: string, headers: Record<string, string>, query = "") =>
    callRoute(apiPdfRoute.loader, context(), { path: `/api/v1/invoices/${id}/pdf${query}`, params: { id }, headers });

  it("gives the supplier its invoice's copy: the customer's language, else the supplier's, or ?lang=", async () => {
    const f = await fixture();
    const response = await get(f.invoice.id, f.api);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="faktura-${f.invoice.number}.pdf"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const { text } = await textOf(response);
    expect(text).toContain(`Fakturanummer | ${f.invoice.number}`);
    expect(text).toContain("Att betala | 12 297,00 kr");

    const english = await get(f.invoice.id, f.api, "?lang=en");
    expect(english.headers.get("content-disposition")).toBe(`attachment; filename="invoice-${f.invoice.number}.pdf"`);
    expect((await textOf(english)).text).toContain("Amount due | SEK 12,297.00");

    const customer = await fixture({ customerLanguage: "en" });
    expect((await textOf(await get(customer.invoice.id, customer.api))).text).toContain("INVOICE");
  });

  it("names a bad parameter", async () => {
    const f = await fixture();
    for (const [query, field, message] of [["?lang=de", "lang", "must be sv or en"], ["?format=a5", "format", "unknown parameter"]] as const) {
      const response = await get(f.invoice.id, f.api, query);
      expect(response.status).toBe(422);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()).errors).toEqual([{ field, message }]);
    }
  });

  it("answers another supplier's invoice exactly like an unknown one, and needs a key", async () => {
    const mine = await fixture();
    const theirs = await fixture();
    const foreign = await get(theirs.invoice.id, mine.api);
    const unknown = await get("inv_0000000000000000000000", mine.api);
    const malformed = await get("1042", mine.api);
    for (const response of [foreign, unknown, malformed]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(await foreign.json()).toEqual(await unknown.json());
    expect((await get(mine.invoice.id, {})).status).toBe(401);
  });
});

describe("through Express and Remix's router", () => {
  // The real route modules as the build nests them (see `npx remix routes`): the PDF routes are
  // resource routes under the page and the invoice, and must run alone.
  const app = useServerApp({
    build: routeBuild([
      ["root", undefined, "", { default: () => null }],
      ["routes/i.$token", "root", "i/:token", pageRoute],
      ["routes/i.$token.invoice[.]pdf", "routes/i.$token", "invoice.pdf", pdfRoute],
      ["routes/api.v1.invoices.$id", "root", "api/v1/invoices/:id", invoiceRoute],
      ["routes/api.v1.invoices.$id.pdf", "routes/api.v1.invoices.$id", "pdf", apiPdfRoute],
    ]),
    // A low bad-link limit, so the test can reach it.
    config: () => testConfig({ BAD_LINKS_PER_MINUTE: "5" }),
    db: () => database.get().db,
  });
  const { lines } = app;

  it("serves the payer's PDF with the portal's security headers, without the page's loader, the token kept out of the log", async () => {
    const f: PortalFixture = await createPortalFixture(db(), config);
    const before = await listInvoiceEvents(db(), f.supplier.id, f.invoice.id);
    const response = await fetch(`${app.url()}/i/${f.token}/invoice.pdf?lang=en`, { headers: BROWSER });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="invoice-${f.invoice.number}.pdf"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    expect((await pdfText(new Uint8Array(await response.arrayBuffer()))).text).toContain(`Invoice number | ${f.invoice.number}`);
    // The page's loader would have recorded a view.
    expect(await listInvoiceEvents(db(), f.supplier.id, f.invoice.id)).toEqual(before);
    expect(lines.join("")).not.toContain(f.token);

    const key = await createApiKey(db(), f.supplier.id);
    const api = await fetch(`${app.url()}/api/v1/invoices/${f.invoice.id}/pdf`, { headers: { authorization: `Bearer ${key.key}` } });
    expect(api.status).toBe(200);
    expect(api.headers.get("content-type")).toBe("application/pdf");
  });

  it("rate-limits bad links on the PDF path like the page (security L8)", async () => {
    const f = await createPortalFixture(db(), config);
    // The second-to-last character changed (to one it is not), so the signature no longer holds.
    const tampered = `${f.token.slice(0, -2)}${f.token.at(-2) === "A" ? "B" : "A"}${f.token.slice(-1)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${app.url()}/i/${tampered}/invoice.pdf`)).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
    // The limit is per client IP, whatever the token: a good link from that IP waits too.
    expect((await fetch(`${app.url()}/i/${f.token}/invoice.pdf`)).status).toBe(429);
  });
});
