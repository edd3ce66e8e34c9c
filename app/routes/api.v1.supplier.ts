// GET /api/v1/supplier: the settings of the key's supplier. PATCH: change some of them.
import { apiRoute } from "~/api/route.server";
import { json, notFound, validationProblem } from "~/api/problem.server";
import { supplierResource } from "~/features/suppliers/api.schemas";
import { supplierSettings, updateSupplierSettings } from "~/features/suppliers/suppliers.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller }) => {
    const supplier = await supplierSettings(app.db, caller.supplierId);
    return supplier ? json(supplierResource(supplier)) : notFound("Supplier");
  },
  PATCH: async ({ app, caller, actor, request, body }) => {
    // An empty body is a request that changes nothing: a validation error, not malformed JSON.
    if ((await request.clone().text()).trim() === "") {
      return validationProblem([{ field: "(body)", message: "The body is empty: send a JSON object with the fields to change" }]);
    }
    // Field rules live in the service, shared with the CLI, so every bad field is reported at once.
    const result = await updateSupplierSettings(app.db, caller.supplierId, await body(), actor);
    if (result.ok) return json(supplierResource(result.supplier));
    return result.reason === "not_found" ? notFound("Supplier") : validationProblem(result.errors);
  },
});
