// GET lists the key's webhook endpoints; POST registers one and answers its signing secret once.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, validationProblem } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import { publicUrl } from "~/config.server";
import { createWebhookEndpoint, listWebhookEndpoints, urlRules } from "~/services/webhooks.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  return json({ data: await listWebhookEndpoints(context.app.db, caller.supplierId) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const input = await readJson(request, z.unknown());
  const result = await createWebhookEndpoint(context.app.db, urlRules(context.app.config), caller.supplierId, input, {
    actor: "supplier",
    actorId: caller.apiKeyId,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
  });
  if (!result.ok) return result.reason === "not_found" ? notFound("Supplier") : validationProblem(result.errors);
  return json(result.endpoint, 201, {
    Location: publicUrl(context.app.config, `/api/v1/webhook-endpoints/${result.endpoint.id}`),
  });
}
