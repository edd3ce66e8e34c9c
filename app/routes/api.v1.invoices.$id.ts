// One invoice of the key's supplier; PATCH changes it while the payer has not confirmed it and
// nothing was paid. Another supplier's id answers exactly like an unknown one (404).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { getInvoice } from "~/services/invoices.server";
import { updateInvoice } from "~/services/invoice-changes.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const invoice = await getInvoice(context.app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
  return invoice ? json(invoice) : notFound("Invoice");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH") return methodNotAllowed(["GET", "PATCH"]);
  const caller = await requireApiKey(request, context);
  const key = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await updateInvoice(context.app.db, context.app.config, {
    ...caller,
    id: params.id ?? "",
    input,
    idempotencyKey: key,
    origin: { ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.invoice, result.status, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
