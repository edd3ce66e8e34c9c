// The API reference page's content, read from the OpenAPI document (not from the operations
// table), so the page shows exactly what the published document says. Pure data for rendering.

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
};

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type MediaType = { schema?: Schema };
type OperationObject = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
};
/** A response, or a `$ref` to one of components.responses (the shared problem answers). */
type Response = { $ref?: string; description?: string; content?: Record<string, MediaType> };

/** The part of an OpenAPI 3.1 document the page reads. */
export type ReferenceDocument = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, OperationObject> | undefined>;
  components?: { schemas?: Record<string, Schema>; responses?: Record<string, Response> };
};

export type Field = { name: string; type: string; required: boolean; notes: string };
export type ReferenceResponse = { status: string; description: string; contentTypes: string[]; schema: string | null; fields: Field[] };
export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  auth: boolean;
  parameters: (Field & { in: string })[];
  body: { contentType: string; required: boolean; schema: string | null; fields: Field[] } | null;
  responses: ReferenceResponse[];
};
export type ReferenceSection = { tag: string; operations: ReferenceOperation[] };

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const refName = (ref: string) => ref.replace(/^#\/components\/schemas\//, "");

function resolve(doc: ReferenceDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return doc.components?.schemas?.[refName(schema.$ref)];
}

/** A short type as a developer reads it: `string | null`, `"sv" | "en"`, `Invoice[]`. */
export function typeLabel(schema: Schema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return refName(schema.$ref);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeLabel).join(" | ");
  const base = (() => {
    if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (types.length === 0) return "any";
    return types
      .map((type) => (type === "array" ? `${typeLabel(schema.items)}[]` : type === "string" && schema.format ? `string (${schema.format})` : type))
      .join(" | ");
  })();
  return schema.nullable ? `${base} | null` : base;
}

function notes(schema: Schema | undefined): string {
  if (!schema) return "";
  const parts: string[] = [];
  if (schema.description) parts.push(schema.description);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    parts.push(`${schema.minLength ?? 0}–${schema.maxLength ?? "∞"} characters`);
  }
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`from ${schema.minimum ?? "−∞"} to ${schema.maximum ?? "∞"}`);
  if (schema.minItems !== undefined || schema.maxItems !== undefined) parts.push(`${schema.minItems ?? 0}–${schema.maxItems ?? "∞"} items`);
  return parts.join("; ");
}

/** The top-level fields of an object schema (following one $ref), each with its type. */
function fieldsOf(doc: ReferenceDocument, schema: Schema | undefined): Field[] {
  const object = resolve(doc, schema);
  const variants = object?.anyOf ?? object?.oneOf;
  if (variants) return variants.flatMap((variant) => fieldsOf(doc, variant));
  if (!object?.properties) return [];
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties).map(([name, property]) => ({
    name,
    type: typeLabel(property),
    required: required.has(name),
    notes: notes(property),
  }));
}

function operationOf(doc: ReferenceDocument, path: string, method: string, operation: OperationObject): ReferenceOperation {
  const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
  return {
    id: operation.operationId ?? `${method}-${path}`,
    method: method.toUpperCase(),
    path,
    summary: operation.summary ?? "",
    description: operation.description ?? null,
    auth: (operation.security ?? [{}]).length > 0,
    parameters: (operation.parameters ?? []).map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      type: typeLabel(parameter.schema),
      required: parameter.required ?? false,
      notes: [parameter.description, notes(parameter.schema)].filter(Boolean).join("; "),
    })),
    body: contentType
      ? {
        contentType,
        required: operation.requestBody?.required ?? false,
        schema: media?.schema?.$ref ? refName(media.schema.$ref) : null,
        fields: fieldsOf(doc, media?.schema),
      }
      : null,
    responses: Object.entries(operation.responses ?? {}).map(([status, declared]) => {
      const response = declared.$ref ? (doc.components?.responses?.[declared.$ref.replace(/^#\/components\/responses\//, "")] ?? {}) : declared;
      const content = Object.entries(response.content ?? {});
      const schema = content[0]?.[1].schema;
      const success = status.startsWith("2") && content[0]?.[0] === "application/json";
      return {
        status,
        description: response.description ?? "",
        contentTypes: content.map(([type]) => type),
        schema: schema?.$ref ? refName(schema.$ref) : null,
        fields: success ? fieldsOf(doc, schema) : [],
      };
    }),
  };
}

/** Operations grouped by their first tag, in the document's order. */
export function referenceSections(doc: ReferenceDocument): ReferenceSection[] {
  const sections = new Map<string, ReferenceOperation[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? "Other";
      sections.set(tag, [...(sections.get(tag) ?? []), operationOf(doc, path, method, operation)]);
    }
  }
  return [...sections].map(([tag, operations]) => ({ tag, operations }));
}
