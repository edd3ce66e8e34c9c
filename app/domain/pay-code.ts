// The code of an invoice's printed "pay now" link `/p/<code>` (issue #6). It is printed on paper,
// so it must be the same whenever the supplier asks for it and short enough to type: 22 base62
// characters carrying 128 bits of HMAC-SHA256(link signing key, "pay-link:" + invoice id). Only
// its hash is stored; without the key a database dump yields no working pay link (security L1).
import { createHash, createHmac } from "node:crypto";
import type { LinkKey } from "./link-token";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const PAY_CODE_LENGTH = 22; // 62^22 > 2^128: 22 characters hold any 16 bytes
const CODE_BYTES = 16;
const MAX_VALUE = (1n << 128n) - 1n;
const CODE_PATTERN = /^[0-9A-Za-z]{22}$/;

function base62(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString("hex")}`);
  let text = "";
  while (value > 0n) {
    text = ALPHABET.charAt(Number(value % 62n)) + text;
    value /= 62n;
  }
  return text.padStart(PAY_CODE_LENGTH, "0");
}

/** The invoice's pay code under one key: a pure function of the two, so it never changes. */
export function derivePayCode(key: LinkKey, invoiceId: string): string {
  const mac = createHmac("sha256", key.secret).update(`pay-link:${invoiceId}`, "utf8").digest();
  return base62(mac.subarray(0, CODE_BYTES));
}

/**
 * The check before any database query: exactly 22 base62 characters whose value fits in 128
 * bits (so a first character above "7" is refused too). Anything else is garbage.
 */
export function isPayCodeShape(code: string): boolean {
  if (code.length !== PAY_CODE_LENGTH || !CODE_PATTERN.test(code)) return false;
  let value = 0n;
  for (const char of code) value = value * 62n + BigInt(ALPHABET.indexOf(char));
  return value <= MAX_VALUE;
}

/** What the database stores and looks the code up by. */
export function hashPayCode(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}
