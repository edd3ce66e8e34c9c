// Builds the OpenAPI 3.1 document from the operations table, once per process: the schemas are
// fixed at build time, so generating on every request would only cost CPU.
import { z } from "zod";
import {
  extendZodWithOpenApi, OpenApiGeneratorV31, OpenAPIRegistry, type ResponseConfig, type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { OPERATIONS, type Operation } from "./operations";
import { problemSchema } from "./responses";

extendZodWithOpenApi(z);

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

const PROBLEM_TITLES: Record<number, string> = {
  400: "Malformed request (JSON that does not parse, a bad Idempotency-Key)",
  401: "Missing or unknown API key",
  404: "Not found (another supplier's ids answer exactly like unknown ones)",
  409: "Refused in the resource's current state",
  413: "Body too large",
  415: "Wrong Content-Type",
  422: "Validation failed: `errors` names each field",
  503: "Not available on this server (e.g. credentials encryption not configured)",
};

/** The statuses an operation can answer with problem+json, in order. */
export function errorStatuses(operation: Operation): number[] {
  const statuses = new Set<number>(operation.errors ?? []);
  if (operation.auth !== false) statuses.add(401);
  if (operation.path.includes("{")) statuses.add(404);
  if (operation.body && !operation.body.contentType) [400, 413, 415, 422].forEach((status) => statuses.add(status));
  if (operation.idempotent) [400, 422].forEach((status) => statuses.add(status));
  return [...statuses].sort((a, b) => a - b);
}

function responsesOf(operation: Operation, problemRef: z.ZodTypeAny): Record<string, ResponseConfig> {
  const responses: Record<string, ResponseConfig> = {};
  for (const success of operation.success) {
    const key = String(success.status);
    if (success.status === 204) {
      responses[key] = { description: success.description };
      continue;
    }
    const existing = responses[key];
    const contentType = success.contentType ?? "application/json";
    responses[key] = {
      description: existing ? `${existing.description}; ${success.description}` : success.description,
      content: { ...existing?.content, [contentType]: { schema: success.schema } },
      ...(success.headers
        ? { headers: Object.fromEntries(Object.entries(success.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }])) }
        : {}),
    };
  }
  for (const status of errorStatuses(operation)) {
    responses[String(status)] = {
      description: PROBLEM_TITLES[status] ?? "Problem",
      content: { "application/problem+json": { schema: problemRef } },
    };
  }
  return responses;
}

const IDEMPOTENCY_KEY = z
  .string()
  .openapi({
    param: { name: "Idempotency-Key", in: "header", required: false },
    description: "1–255 printable ASCII characters. A retry with the same key answers the first result (Idempotent-Replayed: true).",
  });

export function buildOpenApiDocument(operations: readonly Operation[] = OPERATIONS): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "The supplier's API key: `Authorization: Bearer <key>`. Each key sees one supplier's data only.",
  });
  const problemRef = registry.register("Problem", problemSchema);
  // One named component per schema object; the same object used twice is one $ref.
  const named = new Map<z.ZodTypeAny, z.ZodTypeAny>();
  const ref = (schema: z.ZodTypeAny, name?: string) => {
    if (!name) return schema;
    const known = named.get(schema);
    if (known) return known;
    const registered = registry.register(name, schema);
    named.set(schema, registered);
    return registered;
  };
  for (const operation of operations) {
    const request: RouteConfig["request"] = {};
    if (operation.params) request.params = operation.params;
    if (operation.query) request.query = operation.query;
    if (operation.idempotent) request.headers = z.object({ "Idempotency-Key": IDEMPOTENCY_KEY.optional() });
    if (operation.body) {
      request.body = {
        required: operation.body.required ?? true,
        content: { [operation.body.contentType ?? "application/json"]: { schema: ref(operation.body.schema, operation.body.schemaName) } },
      };
    }
    registry.registerPath({
      method: operation.method,
      path: operation.path,
      operationId: operation.operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [operation.tag],
      security: operation.auth === false ? [] : [{ apiKey: [] }],
      request,
      responses: responsesOf(
        {
          ...operation,
          success: operation.success.map((success) => ({ ...success, schema: ref(success.schema, success.schemaName) })),
        },
        problemRef,
      ),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Payer Portal API",
      version: "1",
      description:
        "The supplier API of Payer Portal: invoices, customers, payments, pay-now links, contact-update campaigns, webhooks. " +
        "Amounts are integer minor units; errors are application/problem+json with field paths.",
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
  });
}

let cached: { document: OpenApiDocument; text: string } | undefined;

/** The document and its JSON text, built on first use and kept for the life of the process. */
export function openApiDocument(): { document: OpenApiDocument; text: string } {
  cached ??= (() => {
    const document = buildOpenApiDocument();
    return { document, text: JSON.stringify(document) };
  })();
  return cached;
}
