// GET /api/v1/openapi.json: the OpenAPI 3.1 document of this API, generated from the zod schemas
// that validate the requests. Public (no API key): it describes the API, it holds no data.
import { methodNotAllowed } from "~/api/problem.server";
import { openApiDocument } from "~/api/openapi/document.server";

export function loader() {
  return new Response(openApiDocument().text, {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" },
  });
}

export function action() {
  return methodNotAllowed(["GET"]);
}
