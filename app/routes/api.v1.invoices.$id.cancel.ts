// Cancels an invoice no money was received for (else 409: issue a credit note). Optional body:
// { "reason": "…" }. Cancelling a cancelled invoice answers 200 with the same body.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { cancelInvoice } from "~/services/invoice-changes.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const key = idempotencyKeyOf(request);
  // An empty body is fine: the reason is optional.
  const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
  const input = hasBody ? await readJson(request, z.unknown()) : undefined;
  const result = await cancelInvoice(context.app.db, context.app.config, {
    ...caller,
    id: params.id ?? "",
    input,
    idempotencyKey: key,
    origin: { ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.invoice, result.status, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
