import { describe, it, expect } from "vitest";
import {
  PUBLIC_ID_PREFIXES,
  isPublicId,
  newPublicId,
  publicIdFromBytes,
  type PublicIdPrefix,
} from "./public-id";

describe("publicIdFromBytes", () => {
  // Expected bodies computed independently (Python divmod base 62, alphabet 0-9A-Za-z).
  it.each<[PublicIdPrefix, string, string]>([
    ["inv", "00000000000000000000000000000000", "inv_0000000000000000000000"],
    ["inv", "00000000000000000000000000000001", "inv_0000000000000000000001"],
    ["cus", "0000000000000000000000000000003e", "cus_0000000000000000000010"], // 62
    ["pay", "000102030405060708090a0b0c0d0e0f", "pay_000SYW7RiJxkEgOGusQGwp"],
    ["lnk", "ffffffffffffffffffffffffffffffff", "lnk_7n42DGM5Tflk9n8mt7Fhc7"],
  ])("%s %s → %s", (prefix, hex, expected) => {
    expect(publicIdFromBytes(prefix, Buffer.from(hex, "hex"))).toBe(expected);
  });

  it.each([15, 17, 0])("rejects %i bytes", (length) => {
    expect(() => publicIdFromBytes("inv", new Uint8Array(length))).toThrow(RangeError);
  });
});

describe("newPublicId", () => {
  it.each(PUBLIC_ID_PREFIXES.map((prefix) => [prefix]))("%s ids have the prefix and 22 base62 characters", (prefix) => {
    const id = newPublicId(prefix);
    expect(id).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{22}$`));
    expect(isPublicId(prefix, id)).toBe(true);
  });

  it("makes 10,000 distinct ids", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newPublicId("evt")));
    expect(ids.size).toBe(10_000);
  });

  it("spreads first characters over 0–7, the whole 128-bit range", () => {
    const firsts = new Set(Array.from({ length: 1000 }, () => newPublicId("inv").charAt(4)));
    // A 128-bit value gives first characters 0–7; seeing several shows the full range is used.
    expect([...firsts].every((char) => "01234567".includes(char))).toBe(true);
    expect(firsts.size).toBeGreaterThan(4);
  });
});

describe("isPublicId", () => {
  it.each<[PublicIdPrefix, string, boolean]>([
    ["inv", "inv_0000000000000000000000", true],
    ["inv", "inv_7n42DGM5Tflk9n8mt7Fhc7", true], // 2^128 − 1
    ["inv", "inv_7n42DGM5Tflk9n8mt7Fhc8", false], // 2^128: cannot come from 16 bytes
    ["inv", "inv_zzzzzzzzzzzzzzzzzzzzzz", false],
    ["inv", "cus_000SYW7RiJxkEgOGusQGwp", false], // wrong prefix
    ["cus", "cus_000SYW7RiJxkEgOGusQGwp", true],
    ["inv", "INV_000SYW7RiJxkEgOGusQGwp", false],
    ["inv", "inv-000SYW7RiJxkEgOGusQGwp", false],
    ["inv", "inv_000SYW7RiJxkEgOGusQGw", false], // 21 characters
    ["inv", "inv_000SYW7RiJxkEgOGusQGwpp", false], // 23 characters
    ["inv", "inv_000SYW7RiJxkEgOGusQG-p", false],
    ["inv", "inv_000SYW7RiJxkEgOGusQG p", false],
    ["inv", " inv_000SYW7RiJxkEgOGusQGwp", false],
    ["inv", "inv_000SYW7RiJxkEgOGusQGwp\n", false],
    ["inv", "", false],
  ])("isPublicId(%s, %j) = %s", (prefix, value, expected) => {
    expect(isPublicId(prefix, value)).toBe(expected);
  });
});
