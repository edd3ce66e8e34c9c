// Resend's webhook (`/webhooks/resend`): bounces and spam complaints suppress the address for the
// supplier that mailed it (security J3); deliveries and openings date the email (campaign counts).
// Verified with Resend's SDK on the raw body before anything is read or written; without
// RESEND_WEBHOOK_SECRET the route does not exist. Answered as soon as the event's one transaction
// commits: Resend retries a slow or failed answer.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { mapResendEvent, resendEventType } from "~/integrations/resend-events";
import { verifyResendWebhook } from "~/integrations/resend-webhook.server";
import {
  readWebhookBody, WEBHOOK_BODY_LIMITS, webhookMethodNotAllowed, webhookNotFound, webhookReceived, webhookRefused,
} from "~/platform/webhook-receiver.server";
import { receiveResendEvent } from "~/features/emails/email-events.server";

export function loader({ context }: LoaderFunctionArgs) {
  return context.app.config.resendWebhookSecret ? webhookMethodNotAllowed() : webhookNotFound();
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, config, log } = context.app;
  const secret = config.resendWebhookSecret;
  if (!secret) return webhookNotFound();
  if (request.method !== "POST") return webhookMethodNotAllowed();
  const body = await readWebhookBody(request, WEBHOOK_BODY_LIMITS.resend);
  if (!body.ok) return body.response;
  const { rawBody } = body;

  const verified = verifyResendWebhook(rawBody, request.headers, secret);
  if (!verified.ok) {
    log.warn({ reason: verified.reason }, "resend webhook refused");
    return webhookRefused(verified.reason);
  }
  const type = resendEventType(verified.payload);
  if (type === null) {
    log.warn({ eventId: verified.eventId }, "resend webhook without an event type");
    return webhookRefused("not a Resend event");
  }
  const result = await receiveResendEvent(db, { eventId: verified.eventId, type, fact: mapResendEvent(verified.payload) });
  // No address in the log: the event id and our email id lead to it for whoever may see it.
  log.info({ eventId: verified.eventId, type, ...result }, "resend event");
  return webhookReceived();
}
