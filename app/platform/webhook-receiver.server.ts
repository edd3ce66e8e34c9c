// What every receiver of a provider's webhook (Stripe, Adyen, Resend) answers and how it reads
// the body: plain-text refusals, a size limit checked before and while reading, and the raw text
// byte for byte as signed (a parsed and re-serialised body would not verify).

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
 * Content-Length before reading, and by its size after (the header may lie or be missing).
 */
export async function readWebhookBody(request: Request, maxBytes: number): Promise<{ ok: true; rawBody: string } | { ok: false; response: Response }> {
  const tooLarge = { ok: false as const, response: webhookText(413, "Payload Too Large") };
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) return tooLarge;
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > maxBytes) return tooLarge;
  return { ok: true, rawBody };
}
