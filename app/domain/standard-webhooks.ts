// Standard Webhooks (https://www.standardwebhooks.com, security.md J4): the secret format, the
// v1 HMAC-SHA256 signature and the headers a receiver verifies with any Standard Webhooks library.
import { createHmac, randomBytes } from "node:crypto";

export const WEBHOOK_SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32; // the spec asks for 24 to 64 random bytes
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `whsec_` + base64 of 32 bytes from a CSPRNG; shown to the supplier once, kept to sign. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/**
 * The key bytes of a secret, with or without the `whsec_` prefix. Node's base64 decoder skips
 * characters it does not know, so the text is checked first: a mangled secret must fail loudly
 * rather than sign with a different key.
 */
export function webhookSecretKey(secret: string): Buffer {
  const text = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new Error("A webhook secret must be whsec_ followed by base64");
  const key = Buffer.from(text, "base64");
  if (key.length < 24 || key.length > 64) throw new Error("A webhook secret must hold 24 to 64 bytes");
  return key;
}

/** `v1,<base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))>` */
export function signWebhook(secretBase64: string, id: string, timestampSeconds: number, body: string): string {
  if (!Number.isSafeInteger(timestampSeconds)) throw new RangeError("The timestamp must be whole unix seconds");
  const mac = createHmac("sha256", webhookSecretKey(secretBase64)).update(`${id}.${timestampSeconds}.${body}`);
  return `v1,${mac.digest("base64")}`;
}

export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/**
 * The signature header is a space-separated list so that a secret can be rotated by signing
 * with the old and the new one for a while; today one secret signs.
 */
export function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): WebhookHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": signWebhook(secret, id, timestampSeconds, body),
  };
}

/** The body every delivery of one message carries, byte for byte: `{ type, timestamp, data }`. */
export function webhookBody(type: string, occurredAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}
