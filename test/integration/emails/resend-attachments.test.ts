// The invoice copy as an email attachment: the real `resend` SDK sends it to a local fake of
// Resend's API as base64 with its file name, and every try of one message carries the same bytes
// (the idempotency key then matches the same request).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWithResend, type OutgoingEmail } from "~/integrations/resend.server";
import { invoicePdfAttachment } from "~/features/invoices/pdf/invoice-pdf.server";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { fakeResend } from "../../support/fake-resend";
import { createPortalFixture } from "../../support/fixtures";
import { pdfText } from "../../support/pdf-text";

const database = useTestDatabase();
const config = testConfig();
const resend = fakeResend();
beforeAll(() => resend.start());
afterAll(() => resend.stop());

const message = (attachments?: OutgoingEmail["attachments"]): OutgoingEmail => ({
  from: "Payer Portal <noreply@pay.example.test>",
  to: "payer@kund.example",
  subject: "Påminnelse: faktura",
  html: "<p>Hej</p>",
  text: "Hej",
  ...(attachments ? { attachments } : {}),
});

describe("invoicePdfAttachment through the resend SDK", () => {
  it("sends the invoice copy as base64 under its file name, the same bytes on every try", async () => {
    const f = await createPortalFixture(database.get().db, config);
    const first = await invoicePdfAttachment(database.get().db, config, { supplierId: f.supplier.id, invoiceId: f.invoice.id, locale: "sv" });
    expect(first?.filename).toBe(`faktura-${f.invoice.number}.pdf`);
    const retry = await invoicePdfAttachment(database.get().db, config, { supplierId: f.supplier.id, invoiceId: f.invoice.id, locale: "sv" });
    expect(retry!.content.equals(first!.content)).toBe(true);

    const settings = { apiKey: "re_test_key_123", baseUrl: resend.url() };
    resend.requests.length = 0;
    for (const attachment of [first!, retry!]) {
      const result = await sendWithResend(settings, message([attachment]), { idempotencyKey: "email:msg_test:1" });
      expect(result.ok).toBe(true);
    }
    expect(resend.requests).toHaveLength(2);
    const [sent, resent] = resend.requests.map((request) => request.body.attachments as { filename: string; content: string }[]);
    expect(sent).toHaveLength(1);
    expect(sent![0]!.filename).toBe(`faktura-${f.invoice.number}.pdf`);
    const bytes = Buffer.from(sent![0]!.content, "base64");
    expect(bytes.equals(first!.content)).toBe(true);
    expect(resent).toEqual(sent);
    expect(resend.requests.map((request) => request.headers["idempotency-key"])).toEqual(["email:msg_test:1", "email:msg_test:1"]);
    expect((await pdfText(bytes)).text).toContain(`Fakturanummer | ${f.invoice.number}`);
  });

  it("sends no attachments field without attachments, and none for another supplier's invoice", async () => {
    resend.requests.length = 0;
    await sendWithResend({ apiKey: "re_test_key_123", baseUrl: resend.url() }, message(), { idempotencyKey: "email:msg_plain:1" });
    expect(resend.requests[0]!.body).not.toHaveProperty("attachments");

    const mine = await createPortalFixture(database.get().db, config);
    const theirs = await createPortalFixture(database.get().db, config);
    expect(await invoicePdfAttachment(database.get().db, config, { supplierId: mine.supplier.id, invoiceId: theirs.invoice.id, locale: "en" })).toBeNull();
    expect(await invoicePdfAttachment(database.get().db, config, { supplierId: mine.supplier.id, invoiceId: "not-an-id", locale: "en" })).toBeNull();
  });
});
