import { describe, expect, it } from "vitest";
import { invoiceQrPayload, InvoiceQrError, type InvoiceQrInput } from "./invoice-qr";

// Every vector of payment-formats.md §2 that is written out in full. (The Norwegian example with
// vh/vm/vl is only described there, not reproduced, so it cannot be checked here.)
describe("invoiceQrPayload", () => {
  it("writes the project's example exactly", () => {
    const payload = invoiceQrPayload({
      payeeName: "Exempel AB",
      companyId: "556016-0680",
      reference: "655969",
      invoiceDate: "2026-03-01",
      dueDate: "2026-03-31",
      amount: 104_250,
      currency: "SEK",
      paymentType: "BG",
      account: "991-2346",
    });
    expect(payload).toBe(
      '{"uqr":1,"tp":1,"nme":"Exempel AB","cid":"556016-0680","iref":"655969","idt":"20260301","ddt":"20260331","due":1042.50,"cur":"SEK","pt":"BG","acc":"991-2346"}',
    );
  });

  // weep/UsingQR's expectations write `"due":5`; we always write the currency's decimals ("5.00"),
  // the same JSON number. Everything else matches character for character.
  it.each<[string, InvoiceQrInput]>([
    [
      '{"uqr":1,"tp":1,"nme":"Test company AB","cid":"555555-5555","iref":"52456","ddt":"20130408","due":5,"pt":"BG","acc":"433-8778"}',
      { payeeName: "Test company AB", companyId: "555555-5555", reference: "52456", dueDate: "2013-04-08", amount: 500, paymentType: "BG", account: "433-8778" },
    ],
    [
      '{"uqr":1,"tp":1,"nme":"Test company AB","cid":"555555-5555","iref":"52456","idt":"20130408","ddt":"20130508","due":5,"pt":"BBAN","acc":"6000658159712","bc":"HANDSESS"}',
      {
        payeeName: "Test company AB", companyId: "555555-5555", reference: "52456", invoiceDate: "2013-04-08", dueDate: "2013-05-08",
        amount: 500, paymentType: "BBAN", account: "6000658159712", bankCode: "HANDSESS",
      },
    ],
  ])("%s", (vector, input) => {
    const payload = invoiceQrPayload(input);
    expect(JSON.parse(payload)).toEqual(JSON.parse(vector));
    expect(payload).toBe(vector.replace('"due":5,', '"due":5.00,'));
  });

  it("escapes quotes and keeps åäö as they are in the JSON text", () => {
    const payload = invoiceQrPayload({
      payeeName: 'Åkeri "Östen" & Söner AB', reference: "655969", dueDate: "2026-03-31", amount: 1, currency: "SEK", paymentType: "PG", account: "4711-5",
    });
    expect(payload).toBe('{"uqr":1,"tp":1,"nme":"Åkeri \\"Östen\\" & Söner AB","iref":"655969","ddt":"20260331","due":0.01,"cur":"SEK","pt":"PG","acc":"4711-5"}');
    expect(JSON.parse(payload).nme).toBe('Åkeri "Östen" & Söner AB');
  });

  it("writes the exact decimal of large amounts, never through a float", () => {
    const payload = invoiceQrPayload({ payeeName: "A", reference: "1", dueDate: "2026-01-01", amount: 9_007_199_254_740_991, paymentType: "BG", account: "991-2346" });
    expect(payload).toContain('"due":90071992547409.91,');
  });

  it("writes the payee's country and an IBAN with its BIC when given", () => {
    const payload = invoiceQrPayload({
      payeeName: "A", countryCode: "SE", reference: "RF71655969", dueDate: "2026-01-01", amount: 100, currency: "SEK",
      paymentType: "IBAN", account: "SE4550000000058398257466", bankCode: "ESSESESS",
    });
    expect(payload).toBe('{"uqr":1,"tp":1,"nme":"A","cc":"SE","iref":"RF71655969","ddt":"20260101","due":1.00,"cur":"SEK","pt":"IBAN","acc":"SE4550000000058398257466","bc":"ESSESESS"}');
  });

  const base: InvoiceQrInput = { payeeName: "A", reference: "1", dueDate: "2026-01-01", amount: 100, paymentType: "BG", account: "991-2346" };
  it.each<[Partial<InvoiceQrInput>, keyof InvoiceQrInput]>([
    [{ amount: 0 }, "amount"],
    [{ amount: -100 }, "amount"],
    [{ amount: 0.5 }, "amount"],
    [{ dueDate: "31/03/2026" }, "dueDate"],
    [{ invoiceDate: "2026-3-1" }, "invoiceDate"],
    [{ payeeName: " " }, "payeeName"],
    [{ reference: "" }, "reference"],
    [{ account: "" }, "account"],
    [{ countryCode: "se" }, "countryCode"],
  ])("refuses %j", (change, field) => {
    expect(() => invoiceQrPayload({ ...base, ...change })).toThrow(InvoiceQrError);
    try {
      invoiceQrPayload({ ...base, ...change });
    } catch (error) {
      expect((error as InvoiceQrError).field).toBe(field);
    }
  });

  it("allows a negative amount on a credit note", () => {
    expect(invoiceQrPayload({ ...base, type: 2, amount: -100 })).toContain('"tp":2,');
  });
});
