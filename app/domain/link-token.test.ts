import { createHmac } from "node:crypto";
import { describe, it, expect } from "vitest";
import {
  MAX_TOKEN_LENGTH,
  checkLinkState,
  hashLinkId,
  newLinkId,
  parseLinkSigningKeys,
  signLinkToken,
  verifyLinkToken,
  type LinkClaims,
  type LinkKey,
  type LinkState,
} from "./link-token";

const SECRET_A = "a".repeat(32);
const SECRET_B = "correct horse battery staple 0123456789";
const KEYS = parseLinkSigningKeys(`k1:${SECRET_A}`);
const NOW = 1_780_000_000; // 2026-05-28
const CLAIMS: LinkClaims = {
  linkId: Buffer.from("000102030405060708090a0b0c0d0e0f", "hex"),
  version: 3,
  expiresAt: NOW + 3600,
};
const TOKEN = signLinkToken(CLAIMS, KEYS);
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const MUTATION_CHARS = `${BASE64URL}.=+/ %~\u00e9`;

/** Small seeded PRNG (mulberry32) so the mutation test is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("parseLinkSigningKeys", () => {
  it("parses keys in order, the first one signing", () => {
    const keys = parseLinkSigningKeys(` new:${SECRET_B} , old:${SECRET_A}:with:colons `);
    expect(keys.map((key) => key.kid)).toEqual(["new", "old"]);
    expect(keys[0]?.secret.equals(Buffer.from(SECRET_B, "utf8"))).toBe(true);
    expect(keys[1]?.secret.toString("utf8")).toBe(`${SECRET_A}:with:colons`);
    expect(signLinkToken(CLAIMS, keys).startsWith("new.")).toBe(true);
  });

  it.each([
    ["", /no key given/],
    [" , ", /no key given/],
    [SECRET_A, /has no kid/],
    [`:${SECRET_A}`, /invalid kid/],
    [`k_1:${SECRET_A}`, /invalid kid/],
    [`${"k".repeat(17)}:${SECRET_A}`, /invalid kid/],
    ["k1:short", /"k1" has a secret shorter than 32 characters/],
    [`k1:${"a".repeat(31)}`, /shorter than 32/],
    [`k1:${SECRET_A},k1:${SECRET_B}`, /"k1" is listed twice/],
    [`K1:${SECRET_A},k1:${SECRET_B}`, /"k1" is listed twice/],
  ])("rejects %j", (value, message) => {
    expect(() => parseLinkSigningKeys(value)).toThrow(message);
  });
});

describe("newLinkId and hashLinkId", () => {
  it("makes 16 random bytes, unique over 1000 draws", () => {
    const ids = Array.from({ length: 1000 }, () => newLinkId());
    expect(ids.every((id) => id.length === 16)).toBe(true);
    expect(new Set(ids.map((id) => id.toString("hex"))).size).toBe(1000);
  });

  it.each([
    ["00000000000000000000000000000000", "374708fff7719dd5979ec875d56cd2286f6d3cf7ec317a3b25632aab28ec37bb"],
    ["000102030405060708090a0b0c0d0e0f", "be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991"],
  ])("sha256 of %s", (hex, expected) => {
    expect(hashLinkId(Buffer.from(hex, "hex"))).toBe(expected);
  });

  it("the stored hash is not in the token", () => {
    const hash = hashLinkId(CLAIMS.linkId);
    expect(TOKEN).not.toContain(hash);
    expect(TOKEN).not.toContain(Buffer.from(hash, "hex").toString("base64url").slice(0, 20));
  });
});

describe("signLinkToken / verifyLinkToken", () => {
  it("round-trips the claims", () => {
    expect(TOKEN).toMatch(/^k1\.[A-Za-z0-9_-]{34}\.[A-Za-z0-9_-]{43}$/);
    expect(verifyLinkToken(TOKEN, KEYS, NOW)).toEqual({ ok: true, claims: CLAIMS });
  });

  it.each([
    { version: 0, expiresAt: 1 },
    { version: 0xffffffff, expiresAt: 0xffffffff },
  ])("round-trips boundary claims %j", ({ version, expiresAt }) => {
    const claims = { linkId: newLinkId(), version, expiresAt };
    expect(verifyLinkToken(signLinkToken(claims, KEYS), KEYS, 0)).toEqual({ ok: true, claims });
  });

  it.each<[string, LinkClaims, readonly LinkKey[], RegExp]>([
    ["no keys", CLAIMS, [], /No link signing key/],
    ["a short link id", { ...CLAIMS, linkId: Buffer.alloc(15) }, KEYS, /16 bytes/],
    ["a negative version", { ...CLAIMS, version: -1 }, KEYS, /version/],
    ["a fractional version", { ...CLAIMS, version: 1.5 }, KEYS, /version/],
    ["a version above uint32", { ...CLAIMS, version: 2 ** 32 }, KEYS, /version/],
    ["an expiry above uint32", { ...CLAIMS, expiresAt: 2 ** 32 }, KEYS, /expiresAt/],
  ])("refuses to sign with %s", (_label, claims, keys, message) => {
    expect(() => signLinkToken(claims, keys)).toThrow(message);
  });

  it("rejects every single-character substitution at every position", () => {
    let checked = 0;
    for (let position = 0; position < TOKEN.length; position++) {
      for (const char of MUTATION_CHARS) {
        if (char === TOKEN[position]) continue;
        const mutated = TOKEN.slice(0, position) + char + TOKEN.slice(position + 1);
        const result = verifyLinkToken(mutated, KEYS, NOW);
        expect(result.ok, mutated).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(TOKEN.length * 60);
  });

  it("rejects 1000 random mutations (substitute, insert, delete, swap)", () => {
    const random = seededRandom(20260328);
    const pick = (n: number): number => Math.floor(random() * n);
    const rejected: string[] = [];
    while (rejected.length < 1000) {
      let mutated = TOKEN;
      const edits = 1 + pick(3);
      for (let edit = 0; edit < edits; edit++) {
        const at = pick(mutated.length);
        const char = MUTATION_CHARS[pick(MUTATION_CHARS.length)] ?? "A";
        const kind = pick(4);
        if (kind === 0) mutated = mutated.slice(0, at) + char + mutated.slice(at + 1);
        else if (kind === 1) mutated = mutated.slice(0, at) + char + mutated.slice(at);
        else if (kind === 2) mutated = mutated.slice(0, at) + mutated.slice(at + 1);
        else mutated = mutated.slice(0, at) + mutated.slice(at + 1, at + 2) + mutated.slice(at, at + 1) + mutated.slice(at + 2);
      }
      if (mutated === TOKEN) continue;
      expect(verifyLinkToken(mutated, KEYS, NOW).ok, mutated).toBe(false);
      rejected.push(mutated);
    }
    expect(new Set(rejected).size).toBeGreaterThan(900);
  });

  it("rejects a token signed with another secret under the same kid", () => {
    const forged = signLinkToken(CLAIMS, parseLinkSigningKeys(`k1:${SECRET_B}`));
    expect(verifyLinkToken(forged, KEYS, NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a token whose kid is not configured", () => {
    const other = signLinkToken(CLAIMS, parseLinkSigningKeys(`k2:${SECRET_A}`));
    expect(verifyLinkToken(other, KEYS, NOW)).toEqual({ ok: false, reason: "unknown_key" });
  });

  it("binds the kid into the signature (same secret under another kid does not verify)", () => {
    const keys = parseLinkSigningKeys(`k1:${SECRET_A},k2:${SECRET_A}`);
    const moved = TOKEN.replace(/^k1\./, "k2.");
    expect(verifyLinkToken(moved, keys, NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("keeps verifying old tokens while the old key is listed second, not after removal", () => {
    const oldKeys = parseLinkSigningKeys(`old:${SECRET_A}`);
    const rotated = parseLinkSigningKeys(`new:${SECRET_B},old:${SECRET_A}`);
    const newOnly = parseLinkSigningKeys(`new:${SECRET_B}`);
    const oldToken = signLinkToken(CLAIMS, oldKeys);
    const newToken = signLinkToken(CLAIMS, rotated);

    expect(newToken.startsWith("new.")).toBe(true);
    expect(verifyLinkToken(oldToken, rotated, NOW)).toEqual({ ok: true, claims: CLAIMS });
    expect(verifyLinkToken(newToken, rotated, NOW)).toEqual({ ok: true, claims: CLAIMS });
    expect(verifyLinkToken(oldToken, newOnly, NOW)).toEqual({ ok: false, reason: "unknown_key" });
    expect(verifyLinkToken(newToken, newOnly, NOW)).toEqual({ ok: true, claims: CLAIMS });
  });

  it.each([
    [CLAIMS.expiresAt - 1, true],
    [CLAIMS.expiresAt, false],
    [CLAIMS.expiresAt + 86400, false],
  ])("at %i seconds the token is valid: %s", (now, valid) => {
    expect(verifyLinkToken(TOKEN, KEYS, now)).toEqual(
      valid ? { ok: true, claims: CLAIMS } : { ok: false, reason: "expired" },
    );
  });

  it("reports a forged expired token as bad_signature, not expired", () => {
    const forged = signLinkToken({ ...CLAIMS, expiresAt: NOW - 10 }, parseLinkSigningKeys(`k1:${SECRET_B}`));
    expect(verifyLinkToken(forged, KEYS, NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a correctly signed payload of an unknown format version", () => {
    const payload = Buffer.alloc(25);
    payload.writeUInt8(2, 0);
    payload.writeUInt32BE(NOW + 3600, 21);
    const signed = `k1.${payload.toString("base64url")}`;
    const mac = createHmac("sha256", SECRET_A).update(signed).digest("base64url");
    expect(verifyLinkToken(`${signed}.${mac}`, KEYS, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  const [kid, payloadPart, signaturePart] = TOKEN.split(".") as [string, string, string];
  it.each([
    ["empty", ""],
    ["too long", `${TOKEN}${"A".repeat(MAX_TOKEN_LENGTH)}`],
    ["just over the length cap", "A".repeat(MAX_TOKEN_LENGTH + 1)],
    ["only two parts", `${kid}.${payloadPart}`],
    ["an extra dot", `${TOKEN}.`],
    ["an extra part", `${TOKEN}.AAAA`],
    ["a doubled dot", `${kid}..${payloadPart}.${signaturePart}`],
    ["a leading dot", `.${TOKEN}`],
    ["standard base64 characters", `${kid}.${payloadPart.slice(0, -1)}+.${signaturePart}`],
    ["a slash", `${kid}.${payloadPart}.${signaturePart.slice(0, -1)}/`],
    ["base64 padding", `${kid}.${payloadPart}.${signaturePart}=`],
    ["whitespace", ` ${TOKEN}`],
    ["a trailing newline", `${TOKEN}\n`],
    ["a kid that is too long", `${"k".repeat(17)}.${payloadPart}.${signaturePart}`],
    ["a kid with an underscore", `k_1.${payloadPart}.${signaturePart}`],
    ["a short payload", `${kid}.${payloadPart.slice(1)}.${signaturePart}`],
    ["a short signature", `${kid}.${payloadPart}.${signaturePart.slice(1)}`],
    ["non-ASCII", `${kid}.${payloadPart.slice(0, -1)}\u00e9.${signaturePart}`],
  ])("reports %s as malformed", (_label, token) => {
    expect(verifyLinkToken(token, KEYS, NOW)).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("checkLinkState", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const daysAgo = (days: number): Date => new Date(now.getTime() - days * 86_400_000);
  it.each<[string, Parameters<typeof checkLinkState>[0], LinkState]>([
    ["open invoice, current version", { tokenVersion: 2, currentVersion: 2, revoked: false, now }, "ok"],
    ["settledAt null", { tokenVersion: 2, currentVersion: 2, revoked: false, settledAt: null, now }, "ok"],
    ["older version after reissue", { tokenVersion: 1, currentVersion: 2, revoked: false, now }, "revoked"],
    ["newer version than stored", { tokenVersion: 3, currentVersion: 2, revoked: false, now }, "revoked"],
    ["revoked by the supplier", { tokenVersion: 2, currentVersion: 2, revoked: true, now }, "revoked"],
    ["settled 89 days ago", { tokenVersion: 1, currentVersion: 1, revoked: false, settledAt: daysAgo(89), now }, "ok"],
    ["settled exactly 90 days ago", { tokenVersion: 1, currentVersion: 1, revoked: false, settledAt: daysAgo(90), now }, "ok"],
    ["settled 90 days and 1 ms ago", { tokenVersion: 1, currentVersion: 1, revoked: false, settledAt: new Date(daysAgo(90).getTime() - 1), now }, "expired"],
    ["settled 8 days ago, grace 7", { tokenVersion: 1, currentVersion: 1, revoked: false, settledAt: daysAgo(8), now, graceDays: 7 }, "expired"],
    ["revoked beats expired", { tokenVersion: 1, currentVersion: 1, revoked: true, settledAt: daysAgo(400), now }, "revoked"],
  ])("%s → %s", (_label, input, expected) => {
    expect(checkLinkState(input)).toBe(expected);
  });
});
