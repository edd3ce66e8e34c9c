// POST records a payment the supplier received outside the portal (bank transfer, cash);
// GET lists the invoice's payments. Another supplier's invoice answers like an unknown one.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { publicUrl } from "~/config.server";
import { isPublicId } from "~/domain/public-id";
import { invoiceExists } from "~/models/invoices.server";
import { listPaymentsPage, recordManualPayment } from "~/services/payments-api.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const invoiceId = params.id ?? "";
  if (!isPublicId("inv", invoiceId) || !(await invoiceExists(context.app.db, caller.supplierId, invoiceId))) {
    return notFound("Invoice");
  }
  const result = await listPaymentsPage(context.app.db, {
    supplierId: caller.supplierId,
    invoiceId,
    query: new URL(request.url).searchParams,
  });
  return result.ok ? json(result.page) : problemResponse(result.problem);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const key = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await recordManualPayment(context.app.db, {
    supplierId: caller.supplierId,
    invoiceId: params.id ?? "",
    input,
    idempotencyKey: key,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.payment, 201, {
    Location: publicUrl(context.app.config, `/api/v1/payments/${result.payment.id}`),
    ...(result.replayed ? { "Idempotent-Replayed": "true" } : {}),
  });
}
