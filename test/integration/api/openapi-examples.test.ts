// Every example in the OpenAPI document is one its own schema accepts: each component schema
// (request and response) has one, and it — like every property's, parameter's and request body's
// example — is validated with the Ajv setup that checks the API's answers (test/support/api-contract).
// A wrong example fails here; that the request examples are also accepted by the API itself is the
// contract test's part (openapi-contract.test.ts sends them and expects a 2xx).
import { describe, expect, it } from "vitest";
import { documentSchemas } from "../../support/api-contract";

type Node = Record<string, unknown>;
type Example = { where: string; schema: object; example: unknown };

const { ajv, document } = documentSchemas();

const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const SUBSCHEMAS = ["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties"];
const SUBSCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"];

/** Every schema inside `schema` (itself included) that carries an example. */
function schemaExamples(schema: unknown, where: string, found: Example[] = []): Example[] {
  if (!isNode(schema)) return found;
  if ("example" in schema) found.push({ where, schema, example: schema.example });
  for (const key of SUBSCHEMA_MAPS) {
    if (isNode(schema[key])) for (const [name, inner] of Object.entries(schema[key])) schemaExamples(inner, `${where}.${key}.${name}`, found);
  }
  for (const key of SUBSCHEMAS) schemaExamples(schema[key], `${where}.${key}`, found);
  for (const key of SUBSCHEMA_LISTS) {
    if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach((inner, index) => schemaExamples(inner, `${where}.${key}[${index}]`, found));
  }
  return found;
}

/** A media type's or parameter's example (validated against its schema), and the examples inside that schema. */
function carrierExamples(carrier: unknown, where: string, found: Example[]): void {
  if (!isNode(carrier) || !isNode(carrier.schema)) return;
  if ("example" in carrier) found.push({ where, schema: carrier.schema, example: carrier.example });
  schemaExamples(carrier.schema, `${where}.schema`, found);
}

const components = Object.entries(document.components?.schemas ?? {});
const examples: Example[] = components.flatMap(([name, schema]) => schemaExamples(schema, name));
for (const [path, item] of Object.entries(document.paths ?? {})) {
  for (const [method, operation] of Object.entries(item ?? {})) {
    if (!isNode(operation)) continue;
    const where = `${method.toUpperCase()} ${path}`;
    for (const parameter of (operation.parameters ?? []) as Node[]) carrierExamples(parameter, `${where} ${String(parameter.in)} ${String(parameter.name)}`, examples);
    const requestContent = isNode(operation.requestBody) ? operation.requestBody.content : undefined;
    for (const [type, media] of Object.entries(isNode(requestContent) ? requestContent : {})) carrierExamples(media, `${where} request ${type}`, examples);
    for (const [status, response] of Object.entries(isNode(operation.responses) ? operation.responses : {})) {
      const content = isNode(response) && isNode(response.content) ? response.content : {};
      for (const [type, media] of Object.entries(content)) carrierExamples(media, `${where} ${status} ${type}`, examples);
    }
  }
}

describe("the OpenAPI document's examples", () => {
  it("gives every component schema, request and response, an example", () => {
    expect(components.length).toBeGreaterThan(40);
    expect(components.filter(([, schema]) => !("example" in schema)).map(([name]) => name)).toEqual([]);
  });

  it.each(examples.map((found) => [found.where, found] as const))("%s: the example passes its schema", (_where, { schema, example }) => {
    const validate = ajv.compile(schema);
    const valid = validate(example);
    expect(valid, ajv.errorsText(validate.errors, { dataVar: "example" })).toBe(true);
  });
});
