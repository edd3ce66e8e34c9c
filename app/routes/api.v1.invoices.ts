// POST creates an invoice (with its first portal link); GET lists the supplier's invoices.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { publicUrl } from "~/config.server";
import { createInvoice, listInvoices } from "~/services/invoices.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const result = await listInvoices(context.app.db, {
    supplierId: caller.supplierId,
    query: new URL(request.url).searchParams,
  });
  return result.ok ? json(result.page) : problemResponse(result.problem);
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const key = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await createInvoice(context.app.db, context.app.config, {
    supplierId: caller.supplierId,
    apiKeyId: caller.apiKeyId,
    input,
    idempotencyKey: key,
    origin: { ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.invoice, result.status, {
    Location: publicUrl(context.app.config, `/api/v1/invoices/${result.invoice.id}`),
    ...(result.replayed ? { "Idempotent-Replayed": "true" } : {}),
  });
}
