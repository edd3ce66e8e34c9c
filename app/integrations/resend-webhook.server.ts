// Verifies a webhook from Resend with Resend's own SDK. Resend signs through Svix, i.e. Standard
// Webhooks: HMAC-SHA256 over "<svix-id>.<svix-timestamp>.<raw body>". The SDK (standardwebhooks
// underneath) also refuses a timestamp more than 5 minutes old or ahead of our clock, so a
// captured delivery cannot be replayed later; the svix-id, part of what is signed, is the event's
// identity across Resend's retries.
import { Resend } from "resend";

export type ResendWebhookHeaders = { get(name: string): string | null };

export type ResendVerification =
  | { ok: true; eventId: string; payload: unknown }
  | { ok: false; reason: "missing headers" | "stale" | "future" | "bad signature" | "not JSON" };

/** Svix ids look like msg_2LJZ…; anything far longer is not one. */
const MAX_EVENT_ID = 200;

// verify() runs locally and never calls Resend, but the constructor insists on an API key
// (falling back to RESEND_API_KEY from the environment). A fixed placeholder keeps it from
// reading the environment behind the configuration's back.
let verifier: Resend | undefined;
function sdk(): Resend {
  verifier ??= new Resend("re_verify_only", { baseUrl: "https://api.resend.com" });
  return verifier;
}

/** Svix sends svix-*; Standard Webhooks senders send webhook-*. Both sign the same way. */
function header(headers: ResendWebhookHeaders, name: "id" | "timestamp" | "signature"): string {
  return headers.get(`svix-${name}`) ?? headers.get(`webhook-${name}`) ?? "";
}

export function verifyResendWebhook(rawBody: string, headers: ResendWebhookHeaders, secret: string): ResendVerification {
  const id = header(headers, "id");
  const timestamp = header(headers, "timestamp");
  const signature = header(headers, "signature");
  if (!id || !timestamp || !signature || id.length > MAX_EVENT_ID) return { ok: false, reason: "missing headers" };
  // The SDK reads the timestamp with parseInt, which would take "1700000000abc"; only digits pass.
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "bad signature" };
  try {
    const payload: unknown = sdk().webhooks.verify({ payload: rawBody, headers: { id, timestamp, signature }, webhookSecret: secret });
    return { ok: true, eventId: id, payload };
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, reason: "not JSON" };
    const message = (error as Error).message;
    if (/too old/i.test(message)) return { ok: false, reason: "stale" };
    if (/too new/i.test(message)) return { ok: false, reason: "future" };
    if (/missing/i.test(message)) return { ok: false, reason: "missing headers" };
    return { ok: false, reason: "bad signature" };
  }
}
