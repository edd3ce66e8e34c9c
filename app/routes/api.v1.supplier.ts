// GET /api/v1/supplier: the settings of the key's supplier. PATCH: change some of them.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, validationProblem } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import { supplierResource } from "~/api/supplier-schemas";
import { getSupplier } from "~/models/suppliers.server";
import { updateSupplierSettings } from "~/services/suppliers.server";
import { z } from "zod";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const supplier = await getSupplier(context.app.db, caller.supplierId);
  if (!supplier) throw notFound("Supplier");
  return json(supplierResource(supplier));
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH") throw methodNotAllowed(["GET", "PATCH"]);
  const caller = await requireApiKey(request, context);
  // An empty body is a request that changes nothing: a validation error, not malformed JSON.
  if ((await request.clone().text()).trim() === "") {
    throw validationProblem([{ field: "(body)", message: "The body is empty: send a JSON object with the fields to change" }]);
  }
  // Field rules live in the service, shared with the CLI, so every bad field is reported at once.
  const body = await readJson(request, z.unknown());
  const result = await updateSupplierSettings(context.app.db, caller.supplierId, body, {
    actor: "supplier",
    actorId: caller.apiKeyId,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
  });
  if (result.ok) return json(supplierResource(result.supplier));
  if (result.reason === "not_found") throw notFound("Supplier");
  throw validationProblem(result.errors);
}
