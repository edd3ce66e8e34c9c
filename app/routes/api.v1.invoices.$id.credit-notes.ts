// Issues a credit note for an invoice: the whole invoice by default, or the lines given (negative
// amounts that add up, at most what is left to credit). The answer is the credit note.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { publicUrl } from "~/config.server";
import { createCreditNote } from "~/services/invoice-changes.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const key = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await createCreditNote(context.app.db, context.app.config, {
    ...caller,
    id: params.id ?? "",
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
