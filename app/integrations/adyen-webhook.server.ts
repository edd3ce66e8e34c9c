// Receives a supplier's Adyen standard webhook at /webhooks/adyen/<account id>: proves it with
// the account's basic auth and every item's HMAC before anything is written (security P1), applies
// each item once through the ledger (P2, P3), and answers "[accepted]" as Adyen requires.
import type { Logger } from "pino";
import type { Config } from "~/platform/config.server";
import type { Db } from "../../db/client";
import { isPublicId } from "~/domain/public-id";
import { findPaymentAccount } from "~/features/payments/db/payment-accounts.server";
import { readWebhookBody, WEBHOOK_BODY_LIMITS, webhookNotFound, webhookText } from "~/platform/webhook-receiver.server";
import { receiveProviderEvent, type ProviderEvent, type ReceiveResult } from "~/features/payments/payments.server";
import { basicAuthMatches, itemEffect, itemSignatureValid, parseNotification, type ItemEffect } from "./adyen-notifications";

type Services = { db: Db; config: Pick<Config, "credentialsKeys">; log: Logger };

export async function handleAdyenWebhook(services: Services, accountId: string, request: Request): Promise<Response> {
  const { db, config, log } = services;
  const account = isPublicId("pac", accountId) ? await findPaymentAccount(db, config, "adyen", accountId) : undefined;
  if (!account) return webhookNotFound();
  const credentials = account.credentials;

  const expected = { username: credentials.notificationUsername, password: credentials.notificationPassword };
  if (!basicAuthMatches(request.headers.get("authorization"), expected)) {
    log.warn({ accountId }, "adyen webhook: basic auth failed");
    return webhookText(401, "Unauthorized", { "www-authenticate": 'Basic realm="adyen-webhook"' });
  }
  const body = await readWebhookBody(request, WEBHOOK_BODY_LIMITS.adyen);
  if (!body.ok) return body.response;

  const notification = parseNotification(body.rawBody);
  if (!notification) return webhookText(400, "Not an Adyen notification");
  const items = notification.notificationItems.map((wrapper) => wrapper.NotificationRequestItem);
  // Every item is checked before any is applied: one forged item rejects the whole delivery.
  if (!items.every((item) => itemSignatureValid(item, credentials.hmacKey))) {
    log.warn({ accountId }, "adyen webhook: HMAC signature invalid");
    return webhookText(400, "Invalid signature");
  }

  for (const item of items) {
    if (item.merchantAccountCode !== credentials.merchantAccount) {
      // A company-level webhook also carries the company's other merchant accounts.
      log.info({ accountId, eventCode: item.eventCode, pspReference: item.pspReference }, "adyen webhook: other merchant account");
      continue;
    }
    const effect = itemEffect(item);
    const event: ProviderEvent = { provider: "adyen", accountId, supplierId: account.supplierId, eventId: effect.eventId, type: effect.type };
    const result = await applyEffect(db, event, effect);
    const logged = { accountId, eventCode: item.eventCode, pspReference: item.pspReference, outcome: result.outcome };
    if (result.outcome === "mismatch") log.warn({ ...logged, detail: result.detail }, "adyen webhook: event contradicts the ledger");
    else log.info(logged, "adyen webhook: item received");
  }
  return webhookText(200, "[accepted]");
}

function applyEffect(db: Db, event: ProviderEvent, effect: ItemEffect): Promise<ReceiveResult> {
  const scope = { supplierId: event.supplierId, provider: "adyen" as const };
  if (effect.kind === "update") return receiveProviderEvent(db, event, { ...effect.facts, ...scope });
  if (effect.kind === "refund") {
    // Adyen reports each refund's own amount; the ledger adds it to the total, once per event id.
    const { paymentId, providerReference, currency, amount, occurredAt } = effect.refund;
    return receiveProviderEvent(db, event, { ...scope, paymentId, providerReference, currency, amount: 0, refundedNow: amount, occurredAt });
  }
  return receiveProviderEvent(db, event, null);
}
