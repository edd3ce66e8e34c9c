// A customer's billing contacts: GET lists them, POST adds one (the portal's contact rules).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { idempotencyKeyOf } from "~/api/request.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import { addCustomerContact, listCustomerContacts } from "~/services/customers.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const contacts = await listCustomerContacts(context.app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
  return contacts ? json({ data: contacts }) : notFound("Customer");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await addCustomerContact(context.app.db, {
    ...caller,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
    id: params.id ?? "",
    input,
    idempotencyKey,
  });
  return result.ok
    ? json(result.body, 201, result.replayed ? { "Idempotent-Replayed": "true" } : {})
    : problemResponse(result.problem);
}
