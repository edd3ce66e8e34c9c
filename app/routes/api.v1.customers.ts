// GET lists the key's customers (newest first, cursor-paged, ?external_id= to find one); POST creates one.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { idempotencyKeyOf } from "~/api/request.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import { publicUrl } from "~/config.server";
import { createCustomer, listCustomersPage } from "~/services/customers.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const result = await listCustomersPage(context.app.db, {
    supplierId: caller.supplierId,
    query: new URL(request.url).searchParams,
  });
  return result.ok ? json(result.page) : problemResponse(result.problem);
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await createCustomer(context.app.db, {
    ...caller,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
    input,
    idempotencyKey,
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, 201, {
    Location: publicUrl(context.app.config, `/api/v1/customers/${result.body.id}`),
    ...(result.replayed ? { "Idempotent-Replayed": "true" } : {}),
  });
}
