import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a secret someone sent with the expected one in constant time, whatever their lengths:
 * both are hashed first, so neither the time nor an early length check tells how close a guess was.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}
