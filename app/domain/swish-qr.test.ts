import { describe, expect, it } from "vitest";
import {
  formatSwishNumber, parseSwishQr, swishAmount, swishAppLink, swishMask, swishPayee, swishQrPayload, SwishQrError,
} from "./swish-qr";

// Every vector of payment-formats.md §1a.
describe("swishQrPayload", () => {
  it.each([
    // [src: getswish QR manual §6.1] the published example (its OCR is illustrative, not Luhn-valid)
    [{ payee: "1237856901", amount: 10_000, message: "12229445" }, "C1237856901;100,00;12229445;0"],
    // verified: all locked, OCR as message
    [{ payee: "1231181189", amount: 150_000, message: "655969" }, "C1231181189;1500,00;655969;0"],
    // verified: a text message is URL-encoded
    [{ payee: "1231181189", amount: 150_000, message: "Faktura 1042" }, "C1231181189;1500,00;Faktura%201042;0"],
  ])("%j → %s", (input, payload) => {
    expect(swishQrPayload(input)).toBe(payload);
  });

  it("percent-encodes the separator, spaces and åäö so the payload stays ASCII and one field", () => {
    const payload = swishQrPayload({ payee: "1231181189", amount: 1, message: "Faktura 7; Åre, Växjö!" });
    expect(payload).toBe("C1231181189;0,01;Faktura%207%3B%20%C3%85re%2C%20V%C3%A4xj%C3%B6!;0");
    expect(payload.split(";")).toHaveLength(4);
    expect(parseSwishQr(payload)?.message).toBe("Faktura 7; Åre, Växjö!");
  });

  it("keeps an empty message as an empty field, the semicolons stay", () => {
    expect(swishQrPayload({ payee: "1231181189", amount: 100 })).toBe("C1231181189;1,00;;0");
  });

  it("writes a stored mobile number in the national form", () => {
    expect(swishQrPayload({ payee: "46708123456", amount: 10_000, message: "1" })).toBe("C0708123456;100,00;1;0");
  });

  it.each([
    [{ payee: "1231181189", amount: 100, message: "x".repeat(51) }, "message"],
    [{ payee: "1231181189", amount: 100, message: "50 % off" }, "message"],
    [{ payee: "1231181189", amount: 100, message: "a/b" }, "message"],
    [{ payee: "1231181189", amount: 100, message: "ÿ" }, "message"],
    [{ payee: "1231181189", amount: 0, message: "1" }, "amount"],
    [{ payee: "1231181189", amount: -100, message: "1" }, "amount"],
    [{ payee: "1231181189", amount: 1.5, message: "1" }, "amount"],
    [{ payee: "1231181189", amount: 100_000_000_000_000, message: "1" }, "amount"],
    [{ payee: "123456789", amount: 100, message: "1" }, "payee"],
    [{ payee: "0812345678", amount: 100, message: "1" }, "payee"],
  ])("refuses %j (%s)", (input, code) => {
    expect(() => swishQrPayload(input)).toThrow(SwishQrError);
    try {
      swishQrPayload(input);
    } catch (error) {
      expect((error as SwishQrError).code).toBe(code);
    }
  });

  it("accepts a message of exactly 50 allowed characters", () => {
    const message = "Aa0 :;.,?!()-ÅÄÖåäö".padEnd(50, "x");
    expect(parseSwishQr(swishQrPayload({ payee: "1231181189", amount: 100, message }))?.message).toBe(message);
  });
});

describe("swishMask", () => {
  // verified mask table: 0 locked, 1 payee, 2 amount, 4 message, 6 amount+message, 7 all
  it.each([
    [{}, 0],
    [{ payee: true }, 1],
    [{ amount: true }, 2],
    [{ message: true }, 4],
    [{ amount: true, message: true }, 6],
    [{ payee: true, amount: true, message: true }, 7],
  ])("%j → %i", (editable, mask) => {
    expect(swishMask(editable)).toBe(mask);
    expect(swishQrPayload({ payee: "1231181189", amount: 100, editable }).endsWith(`;${mask}`)).toBe(true);
  });
});

describe("parseSwishQr", () => {
  const locked = { payee: false, amount: false, message: false };
  it.each([
    ["C1237856901;100,00;12229445;0", { payee: "1237856901", amount: 10_000, message: "12229445", editable: locked }],
    // the same example without the mask: omitted means 0
    ["C1237856901;100,00;12229445", { payee: "1237856901", amount: 10_000, message: "12229445", editable: locked }],
    // [src: betalamedswish.se] amount and message editable, integer amount as community encoders write it
    ["C123456789;100;meddelande;6", { payee: "123456789", amount: 10_000, message: "meddelande", editable: { payee: false, amount: true, message: true } }],
    ["C1231181189;1500,00;655969;0", { payee: "1231181189", amount: 150_000, message: "655969", editable: locked }],
    ["C1231181189;1500,00;Faktura%201042;0", { payee: "1231181189", amount: 150_000, message: "Faktura 1042", editable: locked }],
    // [impl: lindskogen] parameters omitted by empty strings
    ["C0708123456;100;;", { payee: "0708123456", amount: 10_000, message: "", editable: locked }],
  ])("%s", (payload, parsed) => {
    expect(parseSwishQr(payload)).toEqual(parsed);
  });

  it.each(["1231181189;100,00;1;0", "C1231181189;1.00;1;0", "C1;1;%E0;0", "C1;1;1;8", "C1;1;1;0;extra"])("rejects %s", (payload) => {
    expect(parseSwishQr(payload)).toBeNull();
  });
});

describe("swishAmount and swishPayee", () => {
  it.each([
    [1, "0,01"],
    [100, "1,00"],
    [10_000, "100,00"],
    [104_250, "1042,50"],
    [99_999_999_999_999, "999999999999,99"],
  ])("%i öre → %s", (minor, text) => {
    expect(swishAmount(minor)).toBe(text);
  });

  it.each([
    ["123 118 11 89", "1231181189"],
    ["070-812 34 56", "0708123456"],
    ["+46708123456", "0708123456"],
    ["46708123456", "0708123456"],
  ])("%s → %s", (input, payee) => {
    expect(swishPayee(input)).toBe(payee);
  });
});

describe("formatSwishNumber and swishAppLink", () => {
  it.each([
    ["1231181189", "123 118 11 89"],
    ["46708123456", "070-812 34 56"],
  ])("%s is printed %s", (stored, printed) => {
    expect(formatSwishNumber(stored)).toBe(printed);
  });

  it("fills in payee, amount and message, with nothing editable", () => {
    expect(swishAppLink({ payee: "1231181189", amount: 150_000, message: "655969" })).toBe(
      "https://app.swish.nu/1/p/sw/?sw=1231181189&amt=1500.00&cur=SEK&msg=655969&src=qr",
    );
    const mobile = new URL(swishAppLink({ payee: "0708123456", amount: 1, message: "Faktura 1042 Åre" }));
    expect(Object.fromEntries(mobile.searchParams)).toEqual({ sw: "46708123456", amt: "0.01", cur: "SEK", msg: "Faktura 1042 Åre", src: "qr" });
    expect(mobile.searchParams.has("edit")).toBe(false);
  });

  it("refuses what the QR would refuse", () => {
    expect(() => swishAppLink({ payee: "1231181189", amount: 0, message: "1" })).toThrow(SwishQrError);
    expect(() => swishAppLink({ payee: "1231181189", amount: 1, message: "a&b" })).toThrow(SwishQrError);
  });
});
