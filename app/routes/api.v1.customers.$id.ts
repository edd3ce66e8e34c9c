// One customer of the key's supplier, with its billing contacts; PATCH changes some of its fields.
// Another supplier's id answers exactly like an unknown one (404).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import { getCustomer, updateCustomer } from "~/services/customers.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const customer = await getCustomer(context.app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
  return customer ? json(customer) : notFound("Customer");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH") return methodNotAllowed(["GET", "PATCH"]);
  const caller = await requireApiKey(request, context);
  const input = await readJson(request, z.unknown());
  const result = await updateCustomer(context.app.db, {
    ...caller,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
    id: params.id ?? "",
    input,
  });
  return result.ok ? json(result.customer) : problemResponse(result.problem);
}
