// `webhook.deliver`: one signed POST of one message to one endpoint (security.md J4). A failed
// attempt throws, so pg-boss retries it with exponential backoff; running twice sends once.
import { z } from "zod";
import type { AppServices } from "~/platform/context";
import type { DbOrTx } from "../../../db/client";
import { webhookBody, webhookHeaders } from "~/domain/standard-webhooks";
import { postWebhook } from "~/integrations/webhook-http.server";
import {
  claimDeliveryAttempt, getDeliveryTarget, recordDeliveryAttempt, type AttemptOutcome,
} from "~/features/webhooks/db/webhooks.server";
import { enqueueJob, enqueueJobs } from "../../platform/jobs/queue.server";
import { defineJob } from "../../platform/jobs/registry.server";
import { webhookDeliveryLag } from "~/platform/metrics/counters.server";

export const WEBHOOK_DELIVER_JOB = "webhook.deliver";

/**
 * pg-boss waits retryDelay · 2^(n-1) · (1 + random) seconds after the n-th failure, so 12 retries
 * from 30 s wait at least 30 s · (2^12 − 1) ≈ 34 h in all (at most ≈ 68 h): 30 s, 1 min, 2 min,
 * 4 min, 8 min, 16 min, 32 min, 64 min, 2.1 h, 4.3 h, 8.5 h, 17 h, each up to twice as long.
 * Together with the first attempt that is 13 attempts over more than 24 hours.
 */
export const WEBHOOK_RETRY_LIMIT = 12;
export const WEBHOOK_RETRY_DELAY_SECONDS = 30;

/**
 * The earliest time pg-boss runs the retry after the n-th failure (its jitter only adds). The
 * queue's delay may be capped (JOB_RETRY_DELAY_MAX_SECONDS); the same cap applies here, or the
 * retry would find the delivery not yet due, end, and leave it pending for ever.
 */
export const retryDelaySeconds = (failure: number, cap = Infinity) => Math.min(WEBHOOK_RETRY_DELAY_SECONDS, cap) * 2 ** (failure - 1);

export class WebhookDeliveryError extends Error {
  constructor(readonly code: "http_status" | "network" | "timeout", message: string) {
    super(message);
    this.name = "WebhookDeliveryError";
  }
}

const payloadSchema = z.object({
  deliveryId: z.string().min(1),
  /** The delivery's attempt count when this job was enqueued: tells this job's n-th run. */
  attemptsBefore: z.number().int().min(0).default(0),
});

/** Queues a delivery in the caller's transaction (security.md J1). */
export async function enqueueWebhookDelivery(db: DbOrTx, deliveryId: string, attemptsBefore = 0): Promise<void> {
  await enqueueJob(db, WEBHOOK_DELIVER_JOB, { deliveryId, attemptsBefore }, { singletonKey: deliveryId });
}

/** Queues many first deliveries in one statement, in the caller's transaction. */
export async function enqueueWebhookDeliveries(db: DbOrTx, deliveryIds: readonly string[]): Promise<void> {
  await enqueueJobs(db, WEBHOOK_DELIVER_JOB, deliveryIds.map((deliveryId) => ({ deliveryId, attemptsBefore: 0 })), undefined, (index) => deliveryIds[index]!);
}

export async function deliverWebhook(
  services: Pick<AppServices, "db" | "config" | "log">,
  { deliveryId, attemptsBefore }: z.output<typeof payloadSchema>,
  now: () => Date = () => new Date(),
): Promise<void> {
  const { db, config, log } = services;
  const target = await getDeliveryTarget(db, deliveryId);
  // Removed with its endpoint, already delivered, given up, or the endpoint switched off.
  if (!target || target.delivery.status !== "pending" || !target.endpoint.enabled) return;

  // Held for longer than one attempt can take, so a duplicate run cannot start meanwhile.
  const leaseSeconds = Math.ceil((2 * config.webhookTimeoutMs) / 1000) + 30;
  const attempts = await claimDeliveryAttempt(db, deliveryId, leaseSeconds);
  if (attempts === undefined) return;

  const { endpoint, message } = target;
  const body = webhookBody(message.type, message.createdAt, message.payload);
  const result = await postWebhook({
    url: endpoint.url,
    headers: webhookHeaders(endpoint.secret, message.id, Math.floor(now().getTime() / 1000), body),
    body,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateTargets: config.webhookAllowPrivateTargets,
  });
  if (result.ok) {
    await recordDeliveryAttempt(db, deliveryId, { status: "succeeded", statusCode: result.status });
    webhookDeliveryLag.observe((now().getTime() - message.createdAt.getTime()) / 1000);
    return;
  }

  const statusCode = result.kind === "status" ? result.status : null;
  const context = { deliveryId, endpointId: endpoint.id, attempts, statusCode, error: result.error };
  if (result.kind === "refused") {
    // A URL that points inside our network stays refused however often it is tried.
    await recordDeliveryAttempt(db, deliveryId, { status: "failed", statusCode, error: `refused: ${result.error}` });
    log.warn(context, "webhook target refused");
    return;
  }
  const run = attempts - attemptsBefore;
  const outcome: AttemptOutcome =
    run > WEBHOOK_RETRY_LIMIT
      ? { status: "failed", statusCode, error: result.error }
      : { status: "pending", statusCode, error: result.error, retryInSeconds: retryDelaySeconds(run, config.jobs.retryDelayMaxSeconds) };
  await recordDeliveryAttempt(db, deliveryId, outcome);
  log.info({ ...context, final: outcome.status === "failed" }, "webhook attempt failed");
  throw new WebhookDeliveryError(result.kind === "status" ? "http_status" : result.kind, result.error);
}

export const webhookDeliverJob = defineJob({
  name: WEBHOOK_DELIVER_JOB,
  schema: payloadSchema,
  retryLimit: WEBHOOK_RETRY_LIMIT,
  retryDelay: WEBHOOK_RETRY_DELAY_SECONDS,
  retryBackoff: true,
  handle: (payload, services) => deliverWebhook(services, payload),
});
