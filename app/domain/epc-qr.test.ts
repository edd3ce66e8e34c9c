import { describe, expect, it } from "vitest";
import { EPC_MAX_BYTES, epcAmount, epcQrPayload, EpcQrError, parseEpcQr, type EpcQrInput } from "./epc-qr";

// Every vector of payment-formats.md §3.
const PROJECT_VECTOR = "BCD\n002\n1\nSCT\n\nExample Leverantor AB\nSE4550000000058398257466\nEUR1042.50\n\nRF71655969";
const PUBLISHED_VECTOR = "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\nUrgency fund\nSample EPC QR code";

describe("epcQrPayload", () => {
  it("writes the project's vector exactly: v002 without BIC, structured RF, trailing lines dropped", () => {
    const payload = epcQrPayload({ name: "Example Leverantor AB", iban: "SE45 5000 0000 0583 9825 7466", amount: 104_250, reference: "RF71 6559 69" });
    expect(payload).toBe(PROJECT_VECTOR);
    expect(Buffer.byteLength(payload)).toBe(84);
  });

  it("writes the published v001 example, except that the amount always has two decimals", () => {
    const payload = epcQrPayload({
      version: "001", bic: "BPOTBEB1", name: "Red Cross of Belgium", iban: "BE72000000001616", amount: 100, purpose: "CHAR",
      text: "Urgency fund", information: "Sample EPC QR code",
    });
    expect(payload).toBe(PUBLISHED_VECTOR.replace("\nEUR1\n", "\nEUR1.00\n"));
    expect(parseEpcQr(payload)).toEqual(parseEpcQr(PUBLISHED_VECTOR));
  });

  it("keeps åäö in UTF-8 (charset 1) and counts the name's limit in characters", () => {
    const name = "Å".repeat(70);
    const payload = epcQrPayload({ name, iban: "DE89370400440532013000", amount: 1 });
    expect(parseEpcQr(payload)?.name).toBe(name);
    expect(Buffer.byteLength(payload)).toBeGreaterThan(140);
    expect(() => epcQrPayload({ name: `${name}Ö`, iban: "DE89370400440532013000" })).toThrow(/at most 70/);
  });

  it("flattens line breaks inside a field so the lines cannot shift", () => {
    const payload = epcQrPayload({ name: "Acme\nAB", iban: "DE89370400440532013000", text: "a\r\nb" });
    expect(payload.split("\n")).toHaveLength(11);
    expect(parseEpcQr(payload)).toMatchObject({ name: "Acme AB", text: "a b" });
  });

  it("leaves the amount line empty when no amount is given", () => {
    expect(epcQrPayload({ name: "A", iban: "DE89370400440532013000", text: "x" })).toBe("BCD\n002\n1\nSCT\n\nA\nDE89370400440532013000\n\n\n\nx");
  });

  it("refuses a payload over 331 bytes even when every line is within its own limit", () => {
    // The line limits add up to more than the QR holds, so the total is checked too.
    const long: EpcQrInput = {
      bic: "DEUTDEFF500", name: "N".repeat(70), iban: "DE89370400440532013000", amount: 99_999_999_999, purpose: "GDDS", text: "T".repeat(140),
    };
    expect(Buffer.byteLength(epcQrPayload(long))).toBe(282);
    expect(Buffer.byteLength(epcQrPayload({ ...long, information: "I".repeat(48) }))).toBe(EPC_MAX_BYTES);
    expect(() => epcQrPayload({ ...long, information: "I".repeat(49) })).toThrow(/331 bytes/);
    expect(() => epcQrPayload({ ...long, name: "Ö".repeat(70), information: "I" })).toThrow(/331 bytes/);
  });

  const base: EpcQrInput = { name: "A", iban: "DE89370400440532013000" };
  it.each<[Partial<EpcQrInput>, string]>([
    [{ version: "001" }, "bic"],
    [{ bic: "DEUT" }, "bic"],
    [{ iban: "DE89370400440532013001" }, "iban"],
    [{ name: "  " }, "name"],
    [{ amount: 0 }, "amount"],
    [{ amount: 100_000_000_000 }, "amount"],
    [{ amount: 1.5 }, "amount"],
    [{ purpose: "GOODS" }, "purpose"],
    [{ purpose: "gd" }, "purpose"],
    [{ reference: "RF72655969" }, "reference"],
    [{ reference: "RF71655969", text: "x" }, "reference"],
    [{ reference: `RF${"1".repeat(34)}` }, "reference"],
    [{ text: "x".repeat(141) }, "text"],
    [{ information: "x".repeat(71) }, "information"],
  ])("refuses %j", (change, field) => {
    try {
      epcQrPayload({ ...base, ...change });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EpcQrError);
      expect((error as EpcQrError).field).toBe(field);
    }
  });
});

describe("epcAmount", () => {
  it.each([
    [1, "EUR0.01"],
    [1230, "EUR12.30"],
    [104_250, "EUR1042.50"],
    [99_999_999_999, "EUR999999999.99"],
  ])("%i cents → %s", (cents, text) => {
    expect(epcAmount(cents)).toBe(text);
  });
});

describe("parseEpcQr", () => {
  it("reads both vectors", () => {
    expect(parseEpcQr(PROJECT_VECTOR)).toEqual({
      version: "002", bic: "", name: "Example Leverantor AB", iban: "SE4550000000058398257466", amount: 104_250,
      purpose: "", reference: "RF71655969", text: "", information: "",
    });
    expect(parseEpcQr(PUBLISHED_VECTOR)).toEqual({
      version: "001", bic: "BPOTBEB1", name: "Red Cross of Belgium", iban: "BE72000000001616", amount: 100,
      purpose: "CHAR", reference: "", text: "Urgency fund", information: "Sample EPC QR code",
    });
    // The published example's amount form, "EUR12.3", is one decimal.
    expect(parseEpcQr(PROJECT_VECTOR.replace("EUR1042.50", "EUR12.3"))?.amount).toBe(1230);
  });

  it("accepts CR LF and rejects what is not an SCT code", () => {
    expect(parseEpcQr(PROJECT_VECTOR.replace(/\n/g, "\r\n"))?.reference).toBe("RF71655969");
    expect(parseEpcQr(PROJECT_VECTOR.replace("SCT", "XYZ"))).toBeNull();
    expect(parseEpcQr(PROJECT_VECTOR.replace("EUR1042.50", "SEK1042.50"))).toBeNull();
  });
});
