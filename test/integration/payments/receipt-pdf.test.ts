// The receipt after paying, on real PostgreSQL: the page's receipt data (number, where its email
// went), the payer's PDF under the signed link (its own invoice's payments only, the page's 404,
// never cached) and the supplier's API copy (its own payments only). PDFs are read back with pdfjs.
import { describe, expect, it } from "vitest";
import { payments } from "../../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { getPayLink } from "~/features/links/pay-links.server";
import * as receiptRoute from "~/routes/i.$token.receipts.$file";
import * as apiReceiptRoute from "~/routes/api.v1.payments.$id.receipt[.]pdf";
import * as recordRoute from "~/routes/api.v1.invoices.$id.payments";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { pdfText } from "../../support/pdf-text";
import { pageQrCodes } from "../../support/pdf-raster";
import { BILLING_EMAIL, openPage, payerFixture, type PayerFixture } from "../portal/payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

async function recordPayment(fixture: PayerFixture, body: Record<string, unknown>): Promise<string> {
  const response = await callRoute(recordRoute.action, context(), {
    method: "POST",
    path: `/api/v1/invoices/${fixture.invoice.id}/payments`,
    params: { id: fixture.invoice.id },
    headers: fixture.api,
    json: { currency: "SEK", method: "bank_transfer", ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

function download(token: string, file: string, query = "") {
  return callRoute(receiptRoute.loader, context(), {
    path: `/i/${token}/receipts/${file}${query}`,
    params: { token, file },
    headers: { accept: "application/pdf" },
  });
}

function fromApi(fixture: PayerFixture, paymentId: string, query = "") {
  return callRoute(apiReceiptRoute.loader, context(), {
    path: `/api/v1/payments/${paymentId}/receipt.pdf${query}`,
    params: { id: paymentId },
    headers: fixture.api,
  });
}

async function textOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/pdf");
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  return (await pdfText(new Uint8Array(await response.arrayBuffer()))).text;
}

async function expectBare404(response: Promise<Response>) {
  const answered = await response.catch((thrown: unknown) => thrown as Response);
  expect(answered.status).toBe(404);
  expect(answered.headers.get("cache-control")).toBe("private, no-store");
  expect(await answered.text()).toBe("");
}

describe("the receipt on the page", () => {
  it("carries its number and the addresses its email was queued for", async () => {
    const fixture = await payerFixture(db(), config);
    const paymentId = await recordPayment(fixture, { amount: 500_000, reference: "BG-2026-1" });
    const page = await openPage(context(), fixture.token, "?lang=sv");
    expect(page.pay!.receipts).toMatchObject([{ id: paymentId, number: paymentId, reference: "BG-2026-1", emailedTo: [BILLING_EMAIL] }]);
  });
});

describe("GET /i/<token>/receipts/<payment id>.pdf and GET /api/v1/payments/:id/receipt.pdf", () => {
  it("is the receipt: supplier, payer, invoice, amount, method, reference, date, receipt number; Swedish and English", async () => {
    const fixture = await payerFixture(db(), config);
    const paymentId = await recordPayment(fixture, { amount: 1_927_500, reference: "BG-77", received_at: "2026-12-07T10:00:00Z" });
    // The API hands out the invoice's pay link; from then on every receipt carries it (issue #21).
    const payLink = await getPayLink(db(), config, { supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id });
    const url = payLink.kind === "ok" ? payLink.payLink.url : "";

    const swedish = await download(fixture.token, `${paymentId}.pdf`, "?lang=sv");
    expect(swedish.headers.get("content-disposition")).toBe(`attachment; filename="kvitto-${paymentId}.pdf"`);
    const sv = await textOf(swedish);
    for (const expected of [
      "KVITTO", "Nordljus Konsult AB", "Org.nr 556677-8899", "Fjällbacka Bygg AB", `Kvittonummer | ${paymentId}`,
      `Faktura | ${fixture.invoice.number}`, "Betalt belopp | 19 275,00 kr", "Betalsätt | Banköverföring",
      "Betalningsreferens | BG-77", "Betalningsdag | 7 december 2026", "Betala eller svara på fakturan", url,
    ]) {
      expect(sv).toContain(expected);
    }

    const en = await textOf(await download(fixture.token, `${paymentId}.pdf`, "?lang=en"));
    for (const expected of [
      "RECEIPT", `Receipt number | ${paymentId}`, `Invoice | ${fixture.invoice.number}`, "Amount paid | SEK 19,275.00",
      "Payment method | Bank transfer", "Date paid | 7 December 2026",
    ]) {
      expect(en).toContain(expected);
    }

    const api = await fromApi(fixture, paymentId, "?lang=en");
    expect(api.headers.get("content-disposition")).toBe(`attachment; filename="receipt-${paymentId}.pdf"`);
    expect(await textOf(api)).toBe(en);
    // The receipt's only QR, read off the rendered page, is the pay link.
    expect(pageQrCodes(new Uint8Array(await (await fromApi(fixture, paymentId)).arrayBuffer()))).toEqual([url]);
  });

  it("opens only a payment that arrived, of the link's own invoice, under a valid link (the page's bare 404)", async () => {
    const fixture = await payerFixture(db(), config);
    const paid = await recordPayment(fixture, { amount: 1_000 });
    const otherInvoice = await fixture.another();
    const pending = { id: newPublicId("pay") };
    await db().insert(payments).values({
      id: pending.id, supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id, provider: "stripe", method: "card",
      currency: "SEK", amount: 5_000, status: "pending", idempotencyKey: `checkout:${pending.id}`,
    });
    await expectBare404(download(otherInvoice.token, `${paid}.pdf`));
    await expectBare404(download(fixture.token, `${pending.id}.pdf`));
    await expectBare404(download(fixture.token, `${newPublicId("pay")}.pdf`));
    await expectBare404(download(fixture.token, paid));
    await expectBare404(download(fixture.token, `${paid}.png`));
    await expectBare404(download(`${fixture.token}x`, `${paid}.pdf`));
    expect((await download(fixture.token, `${paid}.pdf`)).status).toBe(200);

    // The API: the supplier's own succeeded payments; another supplier's is unknown.
    const stranger = await payerFixture(db(), config);
    for (const response of [await fromApi(stranger, paid), await fromApi(fixture, pending.id), await fromApi(fixture, "pay_nope")]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await fromApi(fixture, paid, "?lang=de")).status).toBe(422);
  });
});
