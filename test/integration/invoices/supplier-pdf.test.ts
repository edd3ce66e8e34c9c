// Issue #21 on real PostgreSQL: the pay-now box on every PDF a payer holds, read as a payer would —
// text extracted with pdfjs, the page rendered to pixels with mupdf and its QR codes decoded with
// jsQR — and the supplier's own PDF: uploaded, refused with nothing stored, stamped in a free corner
// or at its set position, and then what the payer downloads and the emails attach.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { invoices, supplierInvoicePdfs } from "../../../db/schema";
import { listInvoiceEvents } from "~/platform/audit/db/events.server";
import { getPayLink } from "~/features/links/pay-links.server";
import { buildPaymentInstructions } from "~/features/payments/payment-instructions.server";
import { findInvoiceDocument } from "~/features/invoices/db/invoice-document.server";
import { invoicePdfAttachment } from "~/features/invoices/pdf/invoice-pdf.server";
import * as documentRoute from "~/routes/api.v1.invoices.$id.document";
import * as apiPdfRoute from "~/routes/api.v1.invoices.$id.pdf";
import * as portalPdfRoute from "~/routes/i.$token.invoice[.]pdf";
import * as supplierRoute from "~/routes/api.v1.supplier";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext, TEST_BASE_URL, TEST_CREDENTIALS_KEYS, TEST_LINK_KEYS } from "../../support/context";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { pdfText } from "../../support/pdf-text";
import { pageQrCodes } from "../../support/pdf-raster";
import { encryptedPdf, erpInvoicePdf } from "../../support/sample-pdfs";
import { payerFixture, type PayerFixture } from "../portal/payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

async function payLinkOf(fixture: PayerFixture): Promise<string> {
  const outcome = await getPayLink(db(), config, { supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id });
  if (outcome.kind !== "ok") throw new Error(outcome.kind);
  return outcome.payLink.url;
}

function upload(fixture: PayerFixture, body: Uint8Array, contentType = "application/pdf") {
  return callRoute(documentRoute.action, context(), {
    method: "PUT",
    path: `/api/v1/invoices/${fixture.invoice.id}/document`,
    params: { id: fixture.invoice.id },
    headers: { ...fixture.api, "content-type": contentType },
    body: new Uint8Array(body),
  });
}

async function fetchDocument(fixture: PayerFixture, query = "") {
  const response = await callRoute(documentRoute.loader, context(), {
    path: `/api/v1/invoices/${fixture.invoice.id}/document${query}`,
    params: { id: fixture.invoice.id },
    headers: fixture.api,
  });
  expect(response.status, response.status === 200 ? "" : await response.clone().text()).toBe(200);
  return { response, pdf: new Uint8Array(await response.arrayBuffer()) };
}

async function portalDownload(fixture: PayerFixture) {
  const response = await callRoute(portalPdfRoute.loader, context(), {
    path: `/i/${fixture.token}/invoice.pdf`,
    params: { token: fixture.token },
    headers: { accept: "application/pdf" },
  });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

async function storedRows(fixture: PayerFixture) {
  return db().select().from(supplierInvoicePdfs).where(eq(supplierInvoicePdfs.invoiceId, fixture.invoice.id));
}

/** The pay link's text item's left edge and baseline on page 1, in points. */
async function positionOf(pdf: Uint8Array, text: string) {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const items = (await (await document.getPage(1)).getTextContent()).items;
  const item = items.find((candidate) => "str" in candidate && candidate.str === text) as { transform: number[] } | undefined;
  await document.destroy();
  return item && { x: item.transform[4]!, y: item.transform[5]! };
}

describe("the pay-now box on the portal's own PDFs", () => {
  it("the invoice copy carries the pay link in full and its QR, apart from the bank apps' QR, each labelled", async () => {
    const fixture = await payerFixture(db(), config, { customerLanguage: "sv" });
    const url = await payLinkOf(fixture);
    const response = await callRoute(apiPdfRoute.loader, context(), {
      path: `/api/v1/invoices/${fixture.invoice.id}/pdf?lang=sv`, params: { id: fixture.invoice.id }, headers: fixture.api,
    });
    const pdf = new Uint8Array(await response.arrayBuffer());
    const { text } = await pdfText(pdf);
    for (const expected of ["Betala eller svara på fakturan", url, "mobilens", "Skanna koden med din bankapp"]) expect(text).toContain(expected);
    const document = await findInvoiceDocument(db(), { supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id });
    const bankQr = buildPaymentInstructions(document!).uqr!.payload;
    expect(pageQrCodes(pdf).sort()).toEqual([bankQr, url].sort());
    // The payer's download and the reminders' attachment are the same copy.
    expect(Buffer.from(await portalDownload(fixture)).equals(Buffer.from(pdf))).toBe(true);
  });

  it("a credit note and a cancelled invoice carry no box and no pay link", async () => {
    const fixture = await payerFixture(db(), config, { customerLanguage: "en" });
    const cancelled = await fixture.another({ cancelledAt: new Date("2026-03-05T00:00:00Z") });
    const attachment = await invoicePdfAttachment(db(), config, { supplierId: fixture.supplier.id, invoiceId: cancelled.invoice.id, locale: "en" });
    const { text } = await pdfText(attachment!.content);
    expect(text).not.toContain("Pay or answer this invoice");
    expect(text).not.toContain("/p/");
    const [row] = await db().select({ keyId: invoices.payCodeKeyId }).from(invoices).where(eq(invoices.id, cancelled.invoice.id));
    expect(row!.keyId).toBeNull();
  });
});

describe("PUT and GET /api/v1/invoices/:id/document", () => {
  it("stores the supplier's PDF and gives it back as uploaded, or stamped with the box in a free corner", async () => {
    const fixture = await payerFixture(db(), config, { customerLanguage: "en" });
    const original = await erpInvoicePdf({ pages: 3, fillBottomRight: true });
    const response = await upload(fixture, original);
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toMatchObject({ invoice_id: fixture.invoice.id, byte_size: original.length, page_count: 3 });
    expect((await upload(fixture, original)).status).toBe(200); // a second upload replaces the first
    expect(await storedRows(fixture)).toHaveLength(1);
    const events = await listInvoiceEvents(db(), fixture.supplier.id, fixture.invoice.id);
    expect(events.filter((event) => event.type === "invoice.document_uploaded")).toHaveLength(2);

    const plain = await fetchDocument(fixture);
    expect(Buffer.from(plain.pdf).equals(Buffer.from(original))).toBe(true);

    const url = await payLinkOf(fixture);
    const stamped = await fetchDocument(fixture, "?stamped=true");
    expect(stamped.response.headers.get("pay-box-placement")).toBe("free_corner");
    // Still a PDF that opens, with its pages and its own text, and now the box.
    expect((await PDFDocument.load(stamped.pdf)).getPageCount()).toBe(3);
    const { pages } = await pdfText(stamped.pdf);
    expect(pages).toHaveLength(3);
    for (const [index, page] of pages.entries()) expect(page).toContain(`ERP Faktura 4711 | Sida ${index + 1}`);
    expect(pages[0]).toContain("Bankgiro 991-2346");
    expect(pages[0]).toContain("Pay or answer this invoice");
    expect(pages[0]).toContain(url);
    expect(pages[1]).not.toContain(url);
    expect(pageQrCodes(stamped.pdf)).toEqual([url]);
    // Bottom right holds the bank details, so the box went bottom left.
    const at = await positionOf(stamped.pdf, url);
    expect(at!.x).toBeLessThan(100);
    expect(at!.y).toBeLessThan(200);
  });

  it("stamps at the supplier's position (mm from a corner, width) set with PATCH /api/v1/supplier, which names a wrong field", async () => {
    const fixture = await payerFixture(db(), config);
    const patch = (json: unknown) =>
      callRoute(supplierRoute.action, context(), { method: "PATCH", path: "/api/v1/supplier", headers: fixture.api, json });
    const refused = await patch({ pay_box_position: { corner: "middle", x_mm: -1, y_mm: 10, width_mm: 20 } });
    expect(refused.status).toBe(422);
    const fields = ((await refused.json()) as { errors: { field: string }[] }).errors.map((error) => error.field).sort();
    expect(fields).toEqual(["pay_box_position.corner", "pay_box_position.width_mm", "pay_box_position.x_mm"]);
    const saved = await patch({ pay_box_position: { corner: "top-left", x_mm: 20, y_mm: 100, width_mm: 120 } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ pay_box_position: { corner: "top-left", x_mm: 20, y_mm: 100, width_mm: 120 } });

    expect((await upload(fixture, await erpInvoicePdf({ pages: 1 }))).status).toBe(201);
    const url = await payLinkOf(fixture);
    const stamped = await fetchDocument(fixture, "?stamped=true");
    expect(stamped.response.headers.get("pay-box-placement")).toBe("settings");
    expect(pageQrCodes(stamped.pdf)).toEqual([url]);
    const mm = 72 / 25.4;
    const at = await positionOf(stamped.pdf, url);
    // The link runs along the box's bottom: its left edge 20 mm + padding in, below 100 mm from the top.
    expect(at!.x).toBeCloseTo(20 * mm + 8, 0);
    expect(841.89 - at!.y).toBeGreaterThan(100 * mm);
  });

  it("with no corner free, stamps bottom right and says so", async () => {
    const fixture = await payerFixture(db(), config);
    expect((await upload(fixture, await erpInvoicePdf({ pages: 1, fillAllCorners: true }))).status).toBe(201);
    const stamped = await fetchDocument(fixture, "?stamped=true");
    expect(stamped.response.headers.get("pay-box-placement")).toBe("no_free_corner");
    expect(pageQrCodes(stamped.pdf)).toEqual([await payLinkOf(fixture)]);
  });

  it("refuses a file that is not a PDF, an encrypted PDF, one over 10 MB and the wrong type, storing nothing", async () => {
    const fixture = await payerFixture(db(), config);
    const cases: [Uint8Array, string, number, RegExp][] = [
      [new TextEncoder().encode("<html>not a pdf</html>"), "application/pdf", 422, /not a PDF/],
      [new TextEncoder().encode("%PDF-1.7\ngarbage"), "application/pdf", 422, /not a PDF/],
      [await encryptedPdf(), "application/pdf", 422, /encrypted/],
      [new Uint8Array(10 * 1024 * 1024 + 1), "application/pdf", 413, /10 MB/],
      [await erpInvoicePdf(), "text/plain", 415, /application\/pdf/],
    ];
    for (const [body, type, status, message] of cases) {
      const response = await upload(fixture, body, type);
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const text = await response.text();
      expect(text, text).toMatch(message);
    }
    expect(await storedRows(fixture)).toHaveLength(0);
    const events = await listInvoiceEvents(db(), fixture.supplier.id, fixture.invoice.id);
    expect(events.some((event) => event.type === "invoice.document_uploaded")).toBe(false);
    // Another supplier's invoice is unknown.
    const other = await payerFixture(db(), config);
    const foreign = await callRoute(documentRoute.action, context(), {
      method: "PUT", path: `/api/v1/invoices/${other.invoice.id}/document`, params: { id: other.invoice.id },
      headers: { ...fixture.api, "content-type": "application/pdf" }, body: new Uint8Array(await erpInvoicePdf()),
    });
    expect(foreign.status).toBe(404);
  });

  it("once uploaded, the payer's download and the emails' attachment are the supplier's PDF, stamped; the stored copy has no working link", async () => {
    const fixture = await payerFixture(db(), config, { customerLanguage: "sv" });
    const url = await payLinkOf(fixture);
    expect((await upload(fixture, await erpInvoicePdf({ pages: 2 }))).status).toBe(201);
    const attachment = await invoicePdfAttachment(db(), config, { supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id, locale: "sv" });
    for (const pdf of [await portalDownload(fixture), attachment!.content]) {
      const { pages } = await pdfText(pdf);
      expect(pages).toHaveLength(2);
      expect(pages[0]).toContain("ERP Faktura 4711");
      expect(pages[0]).toContain("Betala eller svara på fakturan");
      expect(pages[0]).toContain(url);
    }
    expect(pageQrCodes(attachment!.content)).toEqual([url]);
    // Stamped when served, never stored stamped: a dump of the table holds no pay link (security L1).
    const [stored] = await storedRows(fixture);
    expect(stored!.content.includes(url.split("/p/")[1]!, 0, "latin1")).toBe(false);
  });
});

describe("npm run cli -- invoices:upload-pdf, invoices:stamped-pdf, supplier:update --pay-box-position", CLI_TIMEOUT, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "pp-supplier-pdf-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS, LINK_SIGNING_KEYS: TEST_LINK_KEYS, PUBLIC_BASE_URL: TEST_BASE_URL };
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url(), ...env });

  it("uploads, and writes the stamped PDF at the position set", async () => {
    const fixture = await payerFixture(db(), config);
    const supplier = ["--supplier", fixture.supplier.id];
    const good = path.join(dir, "good.pdf");
    writeFileSync(good, await erpInvoicePdf({ pages: 2 }));
    const uploaded = await cli(["invoices:upload-pdf", fixture.invoice.id, good, ...supplier]);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    expect(uploaded.stdout).toContain("2 page(s)");

    const position = await cli(["supplier:update", fixture.supplier.id, "--pay-box-position", "bottom-left,15,15,100"]);
    expect(position.code, position.stderr).toBe(0);
    const out = path.join(dir, "stamped.pdf");
    const stamped = await cli(["invoices:stamped-pdf", fixture.invoice.id, out, ...supplier]);
    expect(stamped.code, stamped.stderr).toBe(0);
    expect(stamped.stdout).toContain("pay-now box: settings");
    const pdf = new Uint8Array(readFileSync(out));
    expect(pageQrCodes(pdf)).toEqual([await payLinkOf(fixture)]);
    expect((await pdfText(pdf)).pages).toHaveLength(2);
  });
});
