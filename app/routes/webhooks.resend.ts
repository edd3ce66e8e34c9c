// Resend's webhook (`/webhooks/resend`): bounces and spam complaints suppress the address for the
// supplier that mailed it (security J3); deliveries and openings date the email (campaign counts).
// Verified with Resend's SDK on the raw body before anything is read or written; without
// RESEND_WEBHOOK_SECRET the route does not exist. Answered as soon as the event's one transaction
// commits: Resend retries a slow or failed answer.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { mapResendEvent, resendEventType } from "~/integrations/resend-events";
import { verifyResendWebhook } from "~/integrations/resend-webhook.server";
import { receiveResendEvent } from "~/services/email-events.server";

/** Resend's events are a few kilobytes; anything far larger is not from Resend. */
const MAX_BODY_BYTES = 256 * 1024;

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

export function loader({ context }: LoaderFunctionArgs) {
  if (!context.app.config.resendWebhookSecret) return text(404, "Not Found");
  return text(405, "Method Not Allowed", { Allow: "POST" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, config, log } = context.app;
  const secret = config.resendWebhookSecret;
  if (!secret) return text(404, "Not Found");
  if (request.method !== "POST") return text(405, "Method Not Allowed", { Allow: "POST" });
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) return text(413, "Payload Too Large");
  // The raw text, byte for byte as signed: a parsed and re-serialised body would not verify.
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return text(413, "Payload Too Large");

  const verified = verifyResendWebhook(rawBody, request.headers, secret);
  if (!verified.ok) {
    log.warn({ reason: verified.reason }, "resend webhook refused");
    return text(400, `Webhook not accepted (${verified.reason}).`);
  }
  const type = resendEventType(verified.payload);
  if (type === null) {
    log.warn({ eventId: verified.eventId }, "resend webhook without an event type");
    return text(400, "Webhook not accepted (not a Resend event).");
  }
  const result = await receiveResendEvent(db, { eventId: verified.eventId, type, fact: mapResendEvent(verified.payload) });
  // No address in the log: the event id and our email id lead to it for whoever may see it.
  log.info({ eventId: verified.eventId, type, ...result }, "resend event");
  return new Response(JSON.stringify({ received: true }), { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
