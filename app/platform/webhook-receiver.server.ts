// What every receiver of a provider's webhook (Stripe, Adyen, Resend) answers and how it reads
// the body: plain-text refusals, a size limit checked before and while reading, and the raw text
// byte for byte as signed (a parsed and re-serialised body would not verify).
import { readBodyWithin } from "~/platform/request-body.server";

/**
 * Each provider's events are a few kilobytes; anything far larger is not from the provider. The
 * server cuts bodies off at these limits as they stream (server/body-limit.ts).
 */
export const WEBHOOK_BODY_LIMITS = { stripe: 512 * 1024, adyen: 256 * 1024, resend: 256 * 1024 } as const;

export function webhookText(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

/** A webhook is only ever POSTed. */
export const webhookMethodNotAllowed = () => webhookText(405, "Method Not Allowed", { Allow: "POST" });

export const webhookNotFound = () => webhookText(404, "Not Found");

/** A delivery whose signature (or shape) does not check out; the reason helps the sender's logs. */
export const webhookRefused = (reason: string) => webhookText(400, `Webhook not accepted (${reason}).`);

/** The JSON acknowledgement Stripe and Resend expect. */
export function webhookReceived(): Response {
  return new Response(JSON.stringify({ received: true }), { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

/**
 * The raw body, or a 413 response when it is larger than any real event: refused by its
 * Content-Length before reading, and counted while it streams (the header may lie or be
 * missing), so no more than `maxBytes` is held (security R2).
 */
export async function readWebhookBody(request: Request, maxBytes: number): Promise<{ ok: true; rawBody: string } | { ok: false; response: Response }> {
  const bytes = await readBodyWithin(request, maxBytes);
  if (bytes === null) return { ok: false, response: webhookText(413, "Payload Too Large") };
  return { ok: true, rawBody: new TextDecoder().decode(bytes) };
}
