import { createHash, createHmac } from "node:crypto";
import { describe, it, expect } from "vitest";
import { parseLinkSigningKeys } from "./link-token";
import { PAY_CODE_LENGTH, derivePayCode, hashPayCode, isPayCodeShape } from "./pay-code";

const [KEY_A, KEY_B] = parseLinkSigningKeys(`a:${"a".repeat(32)},b:correct horse battery staple 0123456789`) as [
  ReturnType<typeof parseLinkSigningKeys>[number],
  ReturnType<typeof parseLinkSigningKeys>[number],
];
const INVOICE = "inv_0000000000000000000001";

/** The reference: the first 16 bytes of the HMAC as one big-endian number, in base62. */
function reference(secret: string, invoiceId: string): string {
  const mac = createHmac("sha256", secret).update(`pay-link:${invoiceId}`).digest().subarray(0, 16);
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let value = BigInt(`0x${mac.toString("hex")}`);
  let out = "";
  for (let i = 0; i < 22; i++) {
    out = alphabet[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}

describe("derivePayCode", () => {
  it("is 22 base62 characters, HMAC-SHA256 of the invoice id under the key", () => {
    const code = derivePayCode(KEY_A, INVOICE);
    expect(code).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(PAY_CODE_LENGTH).toBeLessThanOrEqual(30);
    expect(code).toBe(reference("a".repeat(32), INVOICE));
  });

  it("is the same every time, and differs by key and by invoice", () => {
    expect(derivePayCode(KEY_A, INVOICE)).toBe(derivePayCode(KEY_A, INVOICE));
    expect(derivePayCode(KEY_B, INVOICE)).not.toBe(derivePayCode(KEY_A, INVOICE));
    expect(derivePayCode(KEY_A, "inv_0000000000000000000002")).not.toBe(derivePayCode(KEY_A, INVOICE));
  });

  it("pads short values with leading zeros, so every code has the same length", () => {
    // About one code in 62 starts with "0"; 2000 invoices meet several such.
    const codes = Array.from({ length: 2000 }, (_, i) => derivePayCode(KEY_A, `inv_${i}`));
    expect(codes.every((code) => code.length === 22 && isPayCodeShape(code))).toBe(true);
    expect(codes.some((code) => code.startsWith("0"))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("isPayCodeShape", () => {
  it.each([
    ["a derived code", derivePayCode(KEY_A, INVOICE), true],
    ["the largest 128-bit value", "7n42DGM5Tflk9n8mt7Fhc7", true],
    ["zero", "0".repeat(22), true],
    ["one past 2^128 - 1", "7n42DGM5Tflk9n8mt7Fhc8", false],
    ["a first character above 7", `8${"0".repeat(21)}`, false],
    ["21 characters", "0".repeat(21), false],
    ["23 characters", "0".repeat(23), false],
    ["empty", "", false],
    ["a dash", `${"0".repeat(21)}-`, false],
    ["an underscore", `${"0".repeat(21)}_`, false],
    ["a non-ASCII letter", `${"0".repeat(21)}é`, false],
    ["a portal token", "test1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", false],
  ])("%s → %s", (_name, code, expected) => {
    expect(isPayCodeShape(code)).toBe(expected);
  });
});

describe("hashPayCode", () => {
  it("is the hex SHA-256 of the code, never the code itself", () => {
    const code = derivePayCode(KEY_A, INVOICE);
    expect(hashPayCode(code)).toBe(createHash("sha256").update(code).digest("hex"));
    expect(hashPayCode(code)).not.toContain(code);
  });
});
