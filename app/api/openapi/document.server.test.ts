// The OpenAPI document is structurally valid 3.1 (checked here without network or extra packages):
// path templates and path parameters agree, every $ref resolves, operationIds are unique, and every
// operation declares its problem+json errors with the shared Problem schema.
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, errorStatuses, openApiDocument } from "./document.server";
import { OPERATIONS } from "./operations";

const doc = buildOpenApiDocument();
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

type Parameter = { name: string; in: string; required?: boolean };
type Op = { operationId?: string; parameters?: Parameter[]; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>; security?: unknown[] };

const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const op = (item as Record<string, Op | undefined>)[method];
    return op ? [{ path, method, op }] : [];
  }),
);

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string") found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

function resolvePointer(pointer: string): unknown {
  expect(pointer.startsWith("#/")).toBe(true);
  return pointer
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), doc);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with info, a bearer security scheme and one operation per table row", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.components?.securitySchemes?.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(operations).toHaveLength(OPERATIONS.length);
  });

  it("names every path template parameter as a required path parameter, and no others", () => {
    for (const { path, method, op } of operations) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
      const declared = (op.parameters ?? []).filter((parameter) => parameter.in === "path");
      expect(declared.map((parameter) => parameter.name).sort(), `${method} ${path}`).toEqual(inTemplate);
      expect(declared.every((parameter) => parameter.required === true), `${method} ${path}`).toBe(true);
      const keys = (op.parameters ?? []).map((parameter) => `${parameter.in}:${parameter.name}`);
      expect(new Set(keys).size, `${method} ${path} duplicate parameters`).toBe(keys.length);
    }
  });

  it("resolves every $ref inside the document", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) expect(resolvePointer(ref), ref).toBeDefined();
  });

  it("has unique operationIds", () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("describes 401/404/405/409/422/429 as problem+json with the shared Problem schema", () => {
    for (const { path, method, op } of operations) {
      const row = OPERATIONS.find((operation) => operation.path === path && operation.method === method);
      expect(row).toBeDefined();
      for (const status of errorStatuses(row!)) {
        const ref = (op.responses?.[String(status)] as { $ref?: string } | undefined)?.$ref ?? "";
        const shared = doc.components?.responses?.[ref.replace("#/components/responses/", "")] as Op["responses"] extends Record<string, infer R> | undefined ? R : never;
        expect(shared?.content?.["application/problem+json"]?.schema, `${method} ${path} ${status}`).toEqual({
          $ref: "#/components/schemas/Problem",
        });
      }
      if (op.security?.length !== 0) expect(op.responses?.["401"], `${method} ${path}`).toBeDefined();
    }
    const withIds = operations.filter(({ path }) => path.includes("{"));
    expect(withIds.every(({ op }) => op.responses?.["404"])).toBe(true);
  });

  it("takes request bodies as the named components of the request schemas, rejecting unknown fields", () => {
    const create = doc.paths?.["/api/v1/invoices"]?.post;
    expect(create?.requestBody).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/InvoiceCreate" } } } });
    const schema = doc.components?.schemas?.InvoiceCreate as { required?: string[]; additionalProperties?: boolean };
    expect(schema.required).toEqual(expect.arrayContaining(["number", "currency", "customer", "lines", "total"]));
    expect(schema.additionalProperties).toBe(false);
    expect(doc.paths?.["/api/v1/invoices/import"]?.post?.requestBody).toMatchObject({ content: { "text/csv": {} } });
  });

  it("is built once and served as the same text", () => {
    expect(openApiDocument()).toBe(openApiDocument());
    expect(JSON.parse(openApiDocument().text)).toEqual(doc);
  });
});
