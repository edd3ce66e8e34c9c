import { describe, expect, it } from "vitest";
import { allocateAmount, allocatePayment, classifyReference, moneyText } from "./bank-file-booking.server";

describe("allocateAmount", () => {
  it.each([
    { amount: 300, dues: [100, 200], parts: [100, 200], why: "exactly what is due" },
    { amount: 250, dues: [100, 200], parts: [100, 150], why: "short: the last invoice gets less" },
    { amount: 50, dues: [100, 200], parts: [50, 0], why: "short of the first: the last gets nothing" },
    { amount: 350, dues: [100, 200], parts: [100, 250], why: "over: the rest lands on the last" },
    { amount: 300, dues: [0, 200], parts: [0, 300], why: "an invoice already paid gets nothing unless it is the last" },
    { amount: 300, dues: [100, 0], parts: [100, 200], why: "the last takes the rest even when paid" },
    { amount: 0, dues: [100], parts: [0], why: "nothing to split" },
    { amount: 7, dues: [-5, 3], parts: [0, 7], why: "a negative due counts as none" },
  ])("$why", ({ amount, dues, parts }) => {
    expect(allocateAmount(amount, dues)).toEqual(parts);
  });

  it("refuses what it cannot split exactly", () => {
    expect(() => allocateAmount(1.5, [1])).toThrow(RangeError);
    expect(() => allocateAmount(-1, [1])).toThrow(RangeError);
    expect(() => allocateAmount(1, [])).toThrow(RangeError);
  });

  it("P5: the parts add up to the amount, none negative, none above its due but the last (10,000 cases)", () => {
    // A fixed-seed generator: the same cases on every run, so a failure can be replayed.
    let seed = 0x2545f491;
    const random = (limit: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % limit;
    };
    let mismatches = 0;
    for (let run = 0; run < 10_000; run++) {
      const dues = Array.from({ length: 1 + random(6) }, () => (random(4) === 0 ? 0 : random(2_000_000)));
      const amount = random(4) === 0 ? Number.MAX_SAFE_INTEGER - random(1000) : random(8_000_000);
      const parts = allocateAmount(amount, dues);
      const sum = parts.reduce((total, part) => total + BigInt(part), 0n);
      const fits = parts.every((part, index) => part >= 0 && (index === parts.length - 1 || part <= dues[index]!));
      if (sum !== BigInt(amount) || !fits || parts.length !== dues.length) mismatches += 1;
    }
    expect(mismatches).toBe(0);
    console.info(`P5: bank payment split over invoices, 10,000 cases: ${mismatches} mismatches`);
  });
});

describe("allocatePayment: the payer's own amounts (BgMax TK22, camt.054 RmtdAmt)", () => {
  it.each([
    { amount: 150, dues: [100, 100], shares: [120, 30], parts: [120, 30], why: "shares that add up are followed, whatever is due" },
    { amount: 150, dues: [100, 100], shares: [100, null], parts: [100, 50], why: "an invoice without a share: the payer's order" },
    { amount: 150, dues: [100, 100], shares: [null, null], parts: [100, 50], why: "no shares: the payer's order" },
    { amount: 150, dues: [100, 100], shares: [100, 40], parts: [100, 50], why: "the share of a reference that matched nothing lands on the last" },
    { amount: 150, dues: [100, 100], shares: [100, 60], parts: [100, 50], why: "shares beyond the payment: the payer's order" },
  ])("$why", ({ amount, dues, shares, parts }) => {
    expect(allocatePayment(amount, dues, shares)).toEqual(parts);
  });

  it("P5: with TK22 amounts and credit notes, the parts add up to the amount, none negative, shares followed when they fit (10,000 cases)", () => {
    let seed = 0x1f2e3d4c;
    const random = (limit: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % limit;
    };
    let mismatches = 0;
    for (let run = 0; run < 10_000; run++) {
      const count = 1 + random(6);
      const dues = Array.from({ length: count }, () => random(2_000_000));
      const shares = Array.from({ length: count }, () => (random(8) === 0 ? null : random(2_000_000)));
      // The payment is what the payer paid for the invoices, less credit notes deducted (TK23, CREN), plus some noise.
      const credit = random(3) === 0 ? random(500_000) : 0;
      const paid = shares.reduce<number>((sum, share) => sum + (share ?? 0), 0);
      const amount = Math.max(0, random(2) === 0 ? paid - credit : paid + random(1000) - credit);
      const parts = allocatePayment(amount, dues, shares);
      const sum = parts.reduce((total, part) => total + BigInt(part), 0n);
      const given = shares.every((share) => share !== null) && paid <= amount;
      const followed = !given || parts.every((part, index) => (index === count - 1 ? part === shares[index]! + amount - paid : part === shares[index]));
      if (sum !== BigInt(amount) || parts.some((part) => part < 0) || parts.length !== count || !followed) mismatches += 1;
    }
    expect(mismatches).toBe(0);
    console.info(`P5: bank payment split by the payer's amounts and credit notes, 10,000 cases: ${mismatches} mismatches`);
  });
});

describe("classifyReference", () => {
  it.each([
    { raw: "655969", expected: { kind: "ocr", digits: "655969" } },
    { raw: " 6559 69 ", expected: { kind: "ocr", digits: "655969" } },
    { raw: "RF71 6559 69", expected: { kind: "rf", rf: "RF71655969", body: "655969" } },
    { raw: "rf10inv2026001", expected: { kind: "rf", rf: "RF10INV2026001", body: "INV2026001" } },
    { raw: "RF72655969", expected: { kind: "other", why: "not a valid RF reference (wrong check digits)" } },
    { raw: "Faktura 12", expected: { kind: "other", why: "not an OCR or RF reference" } },
  ])("$raw", ({ raw, expected }) => {
    expect(classifyReference(raw)).toEqual(expected);
  });
});

describe("moneyText", () => {
  it.each([
    [1_229_700, "SEK", "12297.00 SEK"],
    [-50_000, "SEK", "-500.00 SEK"],
    [5, "EUR", "0.05 EUR"],
    [12, "XYZ", "12 (minor units) XYZ"],
  ])("%i %s", (minor, currency, text) => {
    expect(moneyText(minor, currency)).toBe(text);
  });
});
