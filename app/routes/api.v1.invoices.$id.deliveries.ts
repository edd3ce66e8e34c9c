// Deliveries of an invoice: POST adds what was delivered (whole invoice or some lines) for the
// payer to approve on the portal page; GET lists them with the payer's decision. A POST with an
// Idempotency-Key adds them once: a retry answers the first deliveries (Idempotent-Replayed).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { addDeliveries, listDeliveries } from "~/services/deliveries.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const deliveries = await listDeliveries(context.app.db, caller.supplierId, params.id ?? "");
  return deliveries ? json({ data: deliveries }) : notFound("Invoice");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await addDeliveries(context.app.db, {
    ...caller,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
    invoiceId: params.id ?? "",
    input,
    idempotencyKey,
  });
  if (!result.ok) return problemResponse(result.problem);
  return json({ data: result.deliveries }, 201, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
