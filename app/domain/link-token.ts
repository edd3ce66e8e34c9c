// Signed portal link tokens (security.md L1, L6). Tokens are checked here, before any database
// query; the database stores only hashLinkId(linkId), so a dump alone yields no working link.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type LinkKey = { kid: string; secret: Buffer };

export type LinkClaims = {
  /** 16 bytes from a CSPRNG: the 128 bits of unguessability. */
  linkId: Buffer;
  /** Link version; reissuing bumps it and thereby revokes older links. uint32. */
  version: number;
  /** Unix seconds after which the token is refused. uint32 (fine until 2106). */
  expiresAt: number;
};

export type LinkTokenFailure = "malformed" | "unknown_key" | "bad_signature" | "expired";
export type LinkTokenResult = { ok: true; claims: LinkClaims } | { ok: false; reason: LinkTokenFailure };

const KID_PATTERN = /^[a-z0-9]{1,16}$/i;
const MIN_SECRET_LENGTH = 32;
const FORMAT_VERSION = 1;
const LINK_ID_BYTES = 16;
const PAYLOAD_BYTES = 1 + LINK_ID_BYTES + 4 + 4;
// kid . base64url(25 bytes) = 34 chars . base64url(32-byte HMAC) = 43 chars
const TOKEN_PATTERN = /^([A-Za-z0-9]{1,16})\.([A-Za-z0-9_-]{34})\.([A-Za-z0-9_-]{43})$/;
export const MAX_TOKEN_LENGTH = 200;

/**
 * Parses "kid:secret,kid2:secret2". The first key signs; all keys verify, so a new key goes
 * first and the old one stays listed until its links have expired.
 */
export function parseLinkSigningKeys(value: string): LinkKey[] {
  const entries = value.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  if (entries.length === 0) throw new Error("Link signing keys: no key given (expected kid:secret)");
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(":");
    if (colon < 0) throw new Error(`Link signing key ${index + 1} has no kid (expected kid:secret)`);
    const kid = entry.slice(0, colon);
    const secret = entry.slice(colon + 1);
    if (!KID_PATTERN.test(kid)) {
      throw new Error(`Link signing key ${index + 1} has an invalid kid (1-16 letters or digits)`);
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`Link signing key "${kid}" has a secret shorter than ${MIN_SECRET_LENGTH} characters`);
    }
    // Kids are compared case-insensitively so "A" and "a" cannot both be listed.
    const folded = kid.toLowerCase();
    if (seen.has(folded)) throw new Error(`Link signing key "${kid}" is listed twice`);
    seen.add(folded);
    return { kid, secret: Buffer.from(secret, "utf8") };
  });
}

export function newLinkId(): Buffer {
  return randomBytes(LINK_ID_BYTES);
}

/**
 * The secret of a link sent by email, derived from a signing key and the link row's id: the email
 * job rebuilds the same URL on every try without storing it, and a database dump alone (ids but
 * no key) still yields no working link.
 */
export function deriveLinkId(key: LinkKey, linkRowId: string): Buffer {
  return createHmac("sha256", key.secret).update(`email-link:${linkRowId}`, "utf8").digest().subarray(0, LINK_ID_BYTES);
}

/** What the database stores instead of the link id. */
export function hashLinkId(linkId: Buffer): string {
  return createHash("sha256").update(linkId).digest("hex");
}

function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

function signature(key: LinkKey, signedPart: string): Buffer {
  return createHmac("sha256", key.secret).update(signedPart, "utf8").digest();
}

export function signLinkToken(claims: LinkClaims, keys: readonly LinkKey[]): string {
  const key = keys[0];
  if (key === undefined) throw new Error("No link signing key configured");
  if (claims.linkId.length !== LINK_ID_BYTES) throw new Error(`linkId must be ${LINK_ID_BYTES} bytes`);
  if (!isUint32(claims.version)) throw new Error("version must be a uint32");
  if (!isUint32(claims.expiresAt)) throw new Error("expiresAt must be a uint32 of unix seconds");
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(FORMAT_VERSION, 0);
  claims.linkId.copy(payload, 1);
  payload.writeUInt32BE(claims.version, 1 + LINK_ID_BYTES);
  payload.writeUInt32BE(claims.expiresAt, 1 + LINK_ID_BYTES + 4);
  const signedPart = `${key.kid}.${payload.toString("base64url")}`;
  return `${signedPart}.${signature(key, signedPart).toString("base64url")}`;
}

/** Structure, then key, then signature, then expiry: a forged expired token is "bad_signature". */
export function verifyLinkToken(token: string, keys: readonly LinkKey[], nowSeconds: number): LinkTokenResult {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const match = TOKEN_PATTERN.exec(token);
  if (match === null) return { ok: false, reason: "malformed" };
  const [, kid = "", payloadB64 = "", signatureB64 = ""] = match;
  const key = keys.find((candidate) => candidate.kid === kid);
  if (key === undefined) return { ok: false, reason: "unknown_key" };

  // Compare the canonical base64url text, not decoded bytes: the last character of a base64
  // string has spare bits, and a mutation there must not survive decoding.
  const expected = Buffer.from(signature(key, `${kid}.${payloadB64}`).toString("base64url"), "ascii");
  const given = Buffer.from(signatureB64, "ascii");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad_signature" };
  }

  const payload = Buffer.from(payloadB64, "base64url");
  if (payload.length !== PAYLOAD_BYTES || payload.readUInt8(0) !== FORMAT_VERSION) {
    return { ok: false, reason: "malformed" };
  }
  const claims: LinkClaims = {
    linkId: Buffer.from(payload.subarray(1, 1 + LINK_ID_BYTES)),
    version: payload.readUInt32BE(1 + LINK_ID_BYTES),
    expiresAt: payload.readUInt32BE(1 + LINK_ID_BYTES + 4),
  };
  if (nowSeconds >= claims.expiresAt) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

export type LinkState = "ok" | "revoked" | "expired";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Database-side checks after a valid signature: the link must be the current version, not
 * revoked, and the invoice settled or cancelled no more than graceDays ago.
 */
export function checkLinkState(input: {
  tokenVersion: number;
  currentVersion: number;
  revoked: boolean;
  /** When the invoice was settled or cancelled; null or absent while it is open. */
  settledAt?: Date | null;
  now: Date;
  graceDays?: number;
}): LinkState {
  const { tokenVersion, currentVersion, revoked, settledAt, now, graceDays = 90 } = input;
  if (revoked || tokenVersion !== currentVersion) return "revoked";
  if (settledAt != null && now.getTime() - settledAt.getTime() > graceDays * DAY_MS) return "expired";
  return "ok";
}
