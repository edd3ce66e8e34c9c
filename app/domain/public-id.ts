// Opaque public ids like "inv_7H3kQ…": a type prefix for humans and logs, 128 random bits after it.
import { randomBytes } from "node:crypto";

export const PUBLIC_ID_PREFIXES = [
  "inv", "cus", "con", "sup", "key", "evt", "lnk", "dsp", "pay", "msg", "whe", "whm", "whd", "dlv", "att", "rem", "pac", "prp", "cmp", "cre", "imp", "usr", "ses", "sil", "upa", "ibx", "ibn",
] as const;
export type PublicIdPrefix = (typeof PUBLIC_ID_PREFIXES)[number];

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 22; // 62^22 > 2^128, so 22 characters hold any 16 bytes
const MAX_VALUE = (1n << 128n) - 1n;
const BODY_PATTERN = /^[0-9A-Za-z]{22}$/;

/**
 * Encodes 16 bytes as a 128-bit number in base62, left-padded to 22 characters. Encoding the
 * whole number (instead of mapping bytes to characters) keeps every id equally likely.
 */
export function publicIdFromBytes(prefix: PublicIdPrefix, bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError("A public id needs exactly 16 bytes");
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let body = "";
  while (value > 0n) {
    body = ALPHABET.charAt(Number(value % 62n)) + body;
    value /= 62n;
  }
  return `${prefix}_${body.padStart(BODY_LENGTH, "0")}`;
}

export function newPublicId(prefix: PublicIdPrefix): string {
  return publicIdFromBytes(prefix, randomBytes(16));
}

/** Strict check: the right prefix, 22 base62 characters, and a value that fits in 128 bits. */
export function isPublicId(prefix: PublicIdPrefix, value: string): boolean {
  if (value.length !== prefix.length + 1 + BODY_LENGTH || !value.startsWith(`${prefix}_`)) return false;
  const body = value.slice(prefix.length + 1);
  if (!BODY_PATTERN.test(body)) return false;
  let decoded = 0n;
  for (const char of body) decoded = decoded * 62n + BigInt(ALPHABET.indexOf(char));
  return decoded <= MAX_VALUE;
}
