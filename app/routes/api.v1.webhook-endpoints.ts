// GET lists the key's webhook endpoints; POST registers one and answers its signing secret once
// (a retry with the same Idempotency-Key answers that same endpoint and secret, Idempotent-Replayed).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { publicUrl } from "~/config.server";
import { createWebhookEndpointOnce, listWebhookEndpoints } from "~/services/webhooks.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  return json({ data: await listWebhookEndpoints(context.app.db, caller.supplierId) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await createWebhookEndpointOnce(context.app.db, context.app.config, {
    supplierId: caller.supplierId,
    input,
    idempotencyKey,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, 201, {
    Location: publicUrl(context.app.config, `/api/v1/webhook-endpoints/${result.body.id}`),
    ...(result.replayed ? { "Idempotent-Replayed": "true" } : {}),
  });
}
