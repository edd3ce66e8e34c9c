// Builds the OpenAPI 3.1 document from the operations table, once per process: the schemas are
// fixed at build time, so generating on every request would only cost CPU.
import { z } from "zod";
import {
  extendZodWithOpenApi, OpenApiGeneratorV31, OpenAPIRegistry, type ResponseConfig, type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { MAX_JSON_BODY_BYTES } from "../request.server";
import { OPERATIONS, type Operation } from "./operations";
import { problemSchema } from "./responses";

extendZodWithOpenApi(z);

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

/** Each problem+json status an operation can answer: its name in components.responses, its meaning, its headers. */
const STANDARD_RESPONSES: Record<number, { name: string; description: string; headers?: Record<string, string>; optionalHeaders?: Record<string, string> }> = {
  400: { name: "MalformedRequest", description: "Malformed request (JSON that does not parse, a bad Idempotency-Key)" },
  401: {
    name: "Unauthorized", description: "Missing or unknown API key",
    headers: { "WWW-Authenticate": 'The scheme to use: `Bearer realm="api"`.' },
  },
  404: { name: "NotFound", description: "Not found (another supplier's ids answer exactly like unknown ones)" },
  405: {
    name: "MethodNotAllowed", description: "The path does not take this method",
    headers: { Allow: "The methods the path takes, comma-separated (`GET, POST`)." },
  },
  409: { name: "Conflict", description: "Refused in the resource's current state" },
  413: { name: "PayloadTooLarge", description: "Body too large (each operation's request body says its limit)" },
  415: { name: "UnsupportedMediaType", description: "Wrong Content-Type (each operation's request body lists the types it takes)" },
  422: { name: "ValidationFailed", description: "Validation failed: `errors` names each field" },
  429: {
    name: "TooManyRequests", description: "Too many requests for this key (or, for refused keys, this address) in the current minute",
    headers: { "Retry-After": "Seconds until the window ends; retry then." },
  },
  503: {
    name: "Unavailable",
    description: "Unavailable for a moment (the database cannot be reached: retry after Retry-After), or not available on this server (e.g. credentials encryption not configured)",
    optionalHeaders: { "Retry-After": "Seconds to wait before retrying, when the service is only briefly unavailable." },
  },
};

/**
 * The statuses an operation can answer with problem+json, in order: the ones every operation of
 * its kind answers (so an operation added later is documented the same way), then its own.
 */
export function errorStatuses(operation: Operation): number[] {
  // Every operation: 405, 429, and 503 while the database cannot be reached.
  const statuses = new Set<number>([...(operation.errors ?? []), 405, 429, 503]);
  if (operation.auth !== false) statuses.add(401);
  if (operation.path.includes("{")) statuses.add(404);
  if (operation.query) statuses.add(422);
  if (operation.body) [413, 415].forEach((status) => statuses.add(status));
  if (operation.body && !operation.body.contentTypes) [400, 422].forEach((status) => statuses.add(status));
  if (operation.idempotent) [400, 422].forEach((status) => statuses.add(status));
  return [...statuses].sort((a, b) => a - b);
}

type Responses = RouteConfig["responses"];

const headerObject = (description: string) => ({ description, required: true, schema: { type: "string" as const } });
const REPLAYED = {
  "Idempotent-Replayed": {
    description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
    required: false,
    schema: { type: "string" as const, enum: ["true"] },
  },
};

function responsesOf(operation: Operation): Responses {
  const responses: Responses = {};
  for (const success of operation.success) {
    const key = String(success.status);
    const headers = operation.idempotent ? { headers: REPLAYED } : {};
    if (success.status === 204) {
      responses[key] = { description: success.description, ...headers };
      continue;
    }
    const existing = responses[key] as ResponseConfig | undefined;
    const contentType = success.contentType ?? "application/json";
    responses[key] = {
      description: existing ? `${existing.description}; ${success.description}` : success.description,
      ...headers,
      content: { ...existing?.content, [contentType]: { schema: success.schema } },
      ...(success.headers
        ? { headers: Object.fromEntries(Object.entries(success.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }])) }
        : {}),
    };
  }
  for (const status of errorStatuses(operation)) {
    const standard = STANDARD_RESPONSES[status];
    if (!standard) throw new Error(`${operation.operationId}: no standard response for ${status}`);
    responses[String(status)] = { $ref: `#/components/responses/${standard.name}` };
  }
  return responses;
}

function requestBodyOf(operation: Operation, schema: z.ZodTypeAny): NonNullable<RouteConfig["request"]>["body"] {
  const body = operation.body!;
  const types = body.contentTypes ?? ["application/json"];
  const limit = body.maxBytes ?? MAX_JSON_BODY_BYTES;
  return {
    required: body.required ?? true,
    description: `${types.join(", ")}; at most ${limit.toLocaleString("en")} bytes (a larger body is a 413, another Content-Type a 415).`,
    content: Object.fromEntries(types.map((type) => [type, { schema, ...(body.example === undefined ? {} : { example: body.example }) }])),
  };
}

/**
 * zod-to-openapi writes a nullable enum as `type: [string, null]` with an `enum` that leaves
 * null out, which a validating client reads as "null is refused": every such enum gets its null.
 * A copy, not in place: the generator shares one object between schemas that reuse a zod schema.
 */
function withNullInNullableEnums<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withNullInNullableEnums) as T;
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withNullInNullableEnums(value)])) as Record<string, unknown>;
  const { type, enum: values } = copy;
  if (Array.isArray(type) && type.includes("null") && Array.isArray(values) && !values.includes(null)) copy.enum = [...values, null];
  return copy as T;
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
  registry.register("Problem", problemSchema);
  for (const { name, description, headers = {}, optionalHeaders = {} } of Object.values(STANDARD_RESPONSES)) {
    const headerObjects = {
      ...Object.fromEntries(Object.entries(headers).map(([header, text]) => [header, headerObject(text)])),
      ...Object.fromEntries(Object.entries(optionalHeaders).map(([header, text]) => [header, { ...headerObject(text), required: false }])),
    };
    registry.registerComponent("responses", name, {
      description,
      ...(Object.keys(headerObjects).length > 0 ? { headers: headerObjects } : {}),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    });
  }
  // One named component per schema object; the same object used twice is one $ref. A request
  // body's component shows the operation's example body (the one the contract test sends).
  const named = new Map<z.ZodTypeAny, z.ZodTypeAny>();
  const ref = (schema: z.ZodTypeAny, name?: string, example?: unknown) => {
    if (!name) return schema;
    const known = named.get(schema);
    if (known) return known;
    const registered = registry.register(name, example === undefined ? schema : schema.openapi({ example }));
    named.set(schema, registered);
    return registered;
  };
  for (const operation of operations) {
    const request: RouteConfig["request"] = {};
    if (operation.params) request.params = operation.params;
    if (operation.query) request.query = operation.query;
    if (operation.idempotent) request.headers = z.object({ "Idempotency-Key": IDEMPOTENCY_KEY.optional() });
    if (operation.body) request.body = requestBodyOf(operation, ref(operation.body.schema, operation.body.schemaName, operation.body.example));
    registry.registerPath({
      method: operation.method,
      path: operation.path,
      operationId: operation.operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [operation.tag],
      security: operation.auth === false ? [] : [{ apiKey: [] }],
      request,
      responses: responsesOf({
        ...operation,
        success: operation.success.map((success) => ({ ...success, schema: ref(success.schema, success.schemaName) })),
      }),
    });
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Payer Portal API",
      version: "1",
      description:
        "The supplier API of Payer Portal: invoices, customers, payments, pay-now links, contact-update campaigns, webhooks. " +
        "Amounts are integer minor units; instants are RFC 3339 date-times with an offset; errors are application/problem+json with field paths. " +
        `JSON bodies are at most ${MAX_JSON_BODY_BYTES.toLocaleString("en")} bytes. Each key may make a limited number of requests a minute: ` +
        "beyond it every operation answers 429 with Retry-After.",
      license: { name: "Proprietary: for integrating with the Payer Portal service", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
  });
  return withNullInNullableEnums(document);
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
