// Payment instructions and QR images: the supplier's API (key-scoped), the payer's image routes
// under the signed link, and the page's payment section. Payloads are compared with literal
// strings worked out by hand from payment-formats.md, images decoded back with jsQR.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import type { AppLoadContext } from "@remix-run/node";
import { invoices } from "../../../db/schema";
import { InvoicePage } from "~/components/invoice/invoice-page";
import { createApiKey } from "~/api/db/api-keys.server";
import type { SupplierChanges } from "~/features/suppliers/db/suppliers.server";
import { listInvoiceEvents } from "~/platform/audit/db/events.server";
import { reissueInvoiceLink } from "~/features/links/links.server";
import type { PortalPage } from "~/features/portal/portal.server";
import * as invoiceRoute from "~/routes/api.v1.invoices.$id";
import * as instructionsRoute from "~/routes/api.v1.invoices.$id.payment-instructions";
import * as apiQrRoute from "~/routes/api.v1.invoices.$id.qr.$kind";
import * as pageRoute from "~/routes/i.$token";
import * as portalQrRoute from "~/routes/i.$token.qr.$kind";
import { useTestDatabase } from "../../support/database";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { callRoute, testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer, type InvoiceOverrides, type PortalFixture } from "../../support/fixtures";

const database = useTestDatabase();
const config = testConfig();
const context = (): AppLoadContext => testContext(database.get(), config);

const SUPPLIER: SupplierChanges = {
  name: "Åkerö Plåt & Söner AB", orgNumber: "556016-0680", bankgiro: "991-2346", plusgiro: null,
  iban: "SE4550000000058398257466", bic: "ESSESESS", swishNumber: "1231181189",
};
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

// The fixture's invoice totals 12 297,00; its OCR is replaced by the reference's 655969.
const SWISH_SEK = "C1231181189;12297,00;655969;0";
const UQR_SEK =
  '{"uqr":1,"tp":1,"nme":"Åkerö Plåt & Söner AB","cid":"556016-0680","iref":"655969","idt":"20260301","ddt":"20260331","due":12297.00,"cur":"SEK","pt":"BG","acc":"991-2346"}';
const EPC_EUR = "BCD\n002\n1\nSCT\nESSESESS\nÅkerö Plåt & Söner AB\nSE4550000000058398257466\nEUR12297.00\n\nRF71655969";

type Fixture = PortalFixture & { api: Record<string, string> };

async function fixture(
  options: { supplier?: SupplierChanges; currency?: "SEK" | "EUR"; invoice?: InvoiceOverrides } = {},
): Promise<Fixture> {
  const { db } = database.get();
  const owner = await createSupplierWithCustomer(db, { supplier: { ...SUPPLIER, ...options.supplier } });
  const created = await createInvoiceWithLink(db, config, owner, options.invoice);
  await db.update(invoices).set({ ocr: "655969", currency: options.currency ?? "SEK" }).where(eq(invoices.id, created.invoice.id));
  const key = await createApiKey(db, owner.supplier.id);
  return { ...created, api: { authorization: `Bearer ${key.key}` } };
}

const instructionsOf = (f: Fixture, headers = f.api, id = f.invoice.id) =>
  callRoute(instructionsRoute.loader, context(), { path: `/api/v1/invoices/${id}/payment-instructions`, params: { id }, headers });

function apiImage(f: Fixture, kind: string, query = "", headers = f.api, id = f.invoice.id) {
  return callRoute(apiQrRoute.loader, context(), { path: `/api/v1/invoices/${id}/qr/${kind}${query}`, params: { id, kind }, headers });
}

function portalImage(token: string, kind: string, query = "") {
  return callRoute(portalQrRoute.loader, context(), { path: `/i/${token}/qr/${kind}${query}`, params: { token, kind } });
}

async function decodePng(response: Response): Promise<string> {
  const image = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error("no QR code in the image");
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(code.binaryData));
}

describe("GET /api/v1/invoices/:id/payment-instructions", () => {
  it("gives a SEK invoice's accounts, OCR, RF, Swish and invoice-QR payloads with absolute image URLs", async () => {
    const f = await fixture();
    const response = await instructionsOf(f);
    expect(response.status).toBe(200);
    const urls = (kind: string) => ({
      svg: `${TEST_BASE_URL}/api/v1/invoices/${f.invoice.id}/qr/${kind}.svg`,
      png: `${TEST_BASE_URL}/api/v1/invoices/${f.invoice.id}/qr/${kind}.png`,
    });
    expect(await response.json()).toEqual({
      invoice_id: f.invoice.id,
      currency: "SEK",
      amount_due: 1_229_700,
      due_date: "2026-03-31",
      bank_accounts: { bankgiro: "991-2346", plusgiro: null, iban: "SE4550000000058398257466", bic: "ESSESESS" },
      ocr: "655969",
      rf: "RF71655969",
      rf_printed: "RF71 6559 69",
      swish: { number: "1231181189", payload: SWISH_SEK, image_urls: urls("swish") },
      invoice_qr: { payload: UQR_SEK, payment_type: "BG", image_urls: urls("uqr") },
      epc_qr: null,
    });
  });

  it("gives a EUR invoice the EPC payload with the RF reference, and no Swish or invoice QR", async () => {
    const f = await fixture({ currency: "EUR" });
    const body = await (await instructionsOf(f)).json();
    expect(body).toMatchObject({ currency: "EUR", swish: null, invoice_qr: null, epc_qr: { payload: EPC_EUR } });
  });

  it("asks for the rest of a partly paid invoice, and offers no code when nothing is due", async () => {
    const partly = await fixture({ invoice: { amountPaid: 1_000_000 } });
    const body = await (await instructionsOf(partly)).json();
    expect(body.amount_due).toBe(229_700);
    expect(body.swish.payload).toBe("C1231181189;2297,00;655969;0");
    expect(JSON.parse(body.invoice_qr.payload).due).toBe(2297);

    for (const invoice of [{ amountPaid: 1_229_700 }, { cancelledAt: new Date() }]) {
      const settled = await fixture({ invoice });
      const json = await (await instructionsOf(settled)).json();
      expect(json).toMatchObject({ amount_due: 0, ocr: "655969", swish: null, invoice_qr: null, epc_qr: null });
      expect((await apiImage(settled, "swish.svg")).status).toBe(404);
    }
  });

  it("falls back to Plusgiro, then IBAN, for the invoice QR; no Swish without a Swish number", async () => {
    const plusgiro = await fixture({ supplier: { bankgiro: null, plusgiro: "4711-5", swishNumber: null } });
    const pg = await (await instructionsOf(plusgiro)).json();
    expect(pg.swish).toBeNull();
    expect(JSON.parse(pg.invoice_qr.payload)).toMatchObject({ pt: "PG", acc: "4711-5" });
    const iban = await fixture({ supplier: { bankgiro: null } });
    expect(JSON.parse((await (await instructionsOf(iban)).json()).invoice_qr.payload)).toMatchObject({
      pt: "IBAN", acc: "SE4550000000058398257466", bc: "ESSESESS",
    });
  });

  it("answers another supplier's invoice exactly like an unknown one, and needs a key", async () => {
    const mine = await fixture();
    const theirs = await fixture();
    const foreign = await instructionsOf(mine, mine.api, theirs.invoice.id);
    const unknown = await instructionsOf(mine, mine.api, "inv_0000000000000000000000");
    const malformed = await instructionsOf(mine, mine.api, "1042");
    for (const response of [foreign, unknown, malformed]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(await foreign.json()).toEqual(await unknown.json());
    expect((await instructionsOf(mine, {})).status).toBe(401);
  });
});

describe("GET /api/v1/invoices/:id/qr/:kind.(svg|png)", () => {
  it("serves each code as PNG and SVG that decode to the payload, privately cached", async () => {
    const sek = await fixture();
    const eur = await fixture({ currency: "EUR" });
    for (const [f, kind, payload] of [[sek, "swish", SWISH_SEK], [sek, "uqr", UQR_SEK], [eur, "epc", EPC_EUR]] as const) {
      const png = await apiImage(f, `${kind}.png`);
      expect(png.status).toBe(200);
      expect(png.headers.get("content-type")).toBe("image/png");
      expect(png.headers.get("cache-control")).toBe("private, max-age=300");
      expect(await decodePng(png)).toBe(payload);
      const svg = await apiImage(f, `${kind}.svg`);
      expect(svg.headers.get("content-type")).toBe("image/svg+xml");
      expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox=/);
    }
  });

  it("sizes the PNG on request and refuses bad sizes with the parameter named", async () => {
    const f = await fixture();
    const sized = await apiImage(f, "swish.png", "?size=256&margin=2");
    expect(PNG.sync.read(Buffer.from(await sized.clone().arrayBuffer())).width).toBe(256);
    expect(await decodePng(sized)).toBe(SWISH_SEK);
    const bad = await apiImage(f, "swish.png", "?size=99999");
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([{ field: "size", message: "must be between 64 and 1024" }]);
  });

  it("404s a code that does not apply, an unknown kind or format, and another supplier's invoice", async () => {
    const mine = await fixture();
    const theirs = await fixture();
    expect((await apiImage(mine, "epc.svg")).status).toBe(404); // SEK invoice
    expect((await apiImage(mine, "swish.gif")).status).toBe(404);
    expect((await apiImage(mine, "paypal.svg")).status).toBe(404);
    expect((await apiImage(mine, "swish.svg", "", mine.api, theirs.invoice.id)).status).toBe(404);
    expect((await apiImage(mine, "swish.svg", "", {})).status).toBe(401);
  });
});

describe("GET /i/<token>/qr/:kind.(svg|png)", () => {
  it("serves the payer's codes under the link, records no view, and 404s bad or revoked links alike", async () => {
    const { db } = database.get();
    const f = await fixture();
    const before = await listInvoiceEvents(db, f.supplier.id, f.invoice.id);

    const png = await portalImage(f.token, "swish.png");
    expect(png.status).toBe(200);
    expect(png.headers.get("cache-control")).toBe("private, max-age=300");
    expect(await decodePng(png)).toBe(SWISH_SEK);
    const svg = await portalImage(f.token, "uqr.svg");
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toContain("<svg");
    expect(await listInvoiceEvents(db, f.supplier.id, f.invoice.id)).toEqual(before);

    const tampered = `${f.token.slice(0, -2)}${f.token.at(-2) === "A" ? "B" : "A"}${f.token.slice(-1)}`;
    const rejected = [
      await portalImage(tampered, "swish.svg"),
      await portalImage(f.token, "epc.svg"), // not for a SEK invoice
      await portalImage(f.token, "swish.jpg"),
    ];
    await reissueInvoiceLink(db, config, { id: f.invoice.id, supplierId: f.supplier.id }, { actor: "supplier" });
    rejected.push(await portalImage(f.token, "swish.svg"));
    for (const response of rejected) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("");
    }
    expect((await portalImage(f.token, "swish.svg", "?size=1")).status).toBe(400);
  });
});

describe("the portal page's payment section", () => {
  async function page(f: Fixture, userAgent: string): Promise<{ data: PortalPage; html: string; text: string }> {
    const base = context();
    const response = await callRoute(pageRoute.loader, { ...base, request: { ...base.request, userAgent } }, {
      path: `/i/${f.token}`,
      params: { token: f.token },
      headers: { accept: "text/html", "sec-fetch-mode": "navigate", "user-agent": userAgent, "accept-language": "en" },
    });
    expect(response.status).toBe(200);
    const data = (await response.json()) as PortalPage;
    // Intl separates currency and amount with a no-break space; compared here as a plain one.
    const html = renderToString(createElement(InvoicePage, { page: data, qrBase: `/i/${f.token}/qr` })).replace(/[\u00a0\u202f]/g, " ");
    const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");
    return { data, html, text };
  }

  it("shows OCR, RF and the codes as images whose alt text carries the same data", async () => {
    const f = await fixture();
    const { data, html, text } = await page(f, DESKTOP);
    expect(data.instructions?.swish?.payload).toBe(SWISH_SEK);
    expect(data.phone).toBe(false);
    expect(text).toContain("Bankgiro 991-2346");
    expect(text).toContain("OCR reference 655969");
    expect(text).toContain("Reference (RF) RF71 6559 69");
    expect(text).toContain("Swish number 123 118 11 89");
    expect(html).toContain(`<img src="/i/${f.token}/qr/uqr.svg" alt="QR code for your bank app: pay SEK 12,297.00 to Bankgiro 991-2346 with OCR reference 655969, due 31 March 2026"`);
    expect(html).toContain(`<img src="/i/${f.token}/qr/swish.svg" alt="Swish QR code: pay SEK 12,297.00 to Swish number 123 118 11 89 with the message 655969"`);
    expect(html).not.toContain("epc.svg");
    expect(html).not.toContain("app.swish.nu"); // a desk has no Swish app
    expect(html.indexOf("Bankgiro")).toBeLessThan(html.indexOf("Swish number"));
  });

  it("puts Swish first on a phone, with an Open Swish link and the number to type", async () => {
    const f = await fixture();
    const { html, text } = await page(f, IPHONE);
    expect(html).toContain('href="https://app.swish.nu/1/p/sw/?sw=1231181189&amp;amt=12297.00&amp;cur=SEK&amp;msg=655969&amp;src=qr"');
    expect(text).toContain("Open Swish");
    expect(text).toContain("Swish number 123 118 11 89");
    expect(html.indexOf("Swish number")).toBeLessThan(html.indexOf("Bankgiro"));
  });

  it("offers Swish alone when the supplier has no bank account on file", async () => {
    const f = await fixture({ supplier: { bankgiro: null, iban: null, bic: null } });
    const { html, text } = await page(f, DESKTOP);
    expect(text).toContain("Swish number 123 118 11 89");
    expect(text).not.toContain("for payment details");
    expect(html).not.toContain("uqr.svg");
  });

  it("shows the EPC code for a EUR invoice", async () => {
    const f = await fixture({ currency: "EUR", supplier: { bankgiro: null, swishNumber: null } });
    const { html } = await page(f, DESKTOP);
    expect(html).toContain(`<img src="/i/${f.token}/qr/epc.svg" alt="EPC QR code for a SEPA transfer: pay €12,297.00 to Åkerö Plåt &amp; Söner AB, IBAN SE45 5000 0000 0583 9825 7466, reference RF71 6559 69"`);
    expect(html).not.toContain("swish.svg");
    expect(html).not.toContain("uqr.svg");
  });
});

describe("through Express and Remix's router", () => {
  // The real route modules under Remix's request handler, as the build nests them: the image
  // routes are children of the page and the invoice routes, and must run alone (resource routes).
  const app = useServerApp({
    build: routeBuild([
      ["root", undefined, "", { default: () => null }],
      ["routes/i.$token", "root", "i/:token", pageRoute],
      ["routes/i.$token.qr.$kind", "routes/i.$token", "qr/:kind", portalQrRoute],
      ["routes/api.v1.invoices.$id", "root", "api/v1/invoices/:id", invoiceRoute],
      ["routes/api.v1.invoices.$id.qr.$kind", "routes/api.v1.invoices.$id", "qr/:kind", apiQrRoute],
      ["routes/api.v1.invoices.$id.payment-instructions", "routes/api.v1.invoices.$id", "payment-instructions", instructionsRoute],
    ]),
    config: () => config,
    db: () => database.get().db,
  });
  const { lines } = app;

  it("serves the images with the security headers, without running the page's loader or logging the token", async () => {
    const { db } = database.get();
    const f = await fixture();
    const before = (await listInvoiceEvents(db, f.supplier.id, f.invoice.id)).length;
    const image = await fetch(`${app.url()}/i/${f.token}/qr/swish.png`, { headers: { "user-agent": DESKTOP, accept: "image/*" } });
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toBe("private, max-age=300");
    expect(image.headers.get("referrer-policy")).toBe("no-referrer");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await decodePng(image)).toBe(SWISH_SEK);
    // The page's loader would have recorded a view.
    expect((await listInvoiceEvents(db, f.supplier.id, f.invoice.id)).length).toBe(before);
    expect(lines.join("")).not.toContain(f.token);

    const api = await fetch(`${app.url()}/api/v1/invoices/${f.invoice.id}/qr/uqr.svg`, { headers: f.api });
    expect(api.headers.get("content-type")).toBe("image/svg+xml");
    const json = await (await fetch(`${app.url()}/api/v1/invoices/${f.invoice.id}/payment-instructions`, { headers: f.api })).json();
    expect(json.invoice_qr.payload).toBe(UQR_SEK);
  });
});
