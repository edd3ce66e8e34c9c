import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./document.server";
import { referenceSections, typeLabel, type ReferenceDocument } from "./reference";

describe("typeLabel", () => {
  it.each([
    [{ type: "string" }, "string"],
    [{ type: ["string", "null"] }, "string | null"],
    [{ type: "string", enum: ["sv", "en"] }, '"sv" | "en"'],
    [{ type: "array", items: { $ref: "#/components/schemas/Invoice" } }, "Invoice[]"],
    [{ anyOf: [{ type: "integer" }, { type: "null" }] }, "integer | null"],
    [{ type: "string", format: "date-time" }, "string (date-time)"],
    [{}, "any"],
  ])("%j → %s", (schema, label) => {
    expect(typeLabel(schema)).toBe(label);
  });
});

describe("referenceSections", () => {
  const sections = referenceSections(buildOpenApiDocument() as ReferenceDocument);
  const all = sections.flatMap((section) => section.operations);

  it("lists every operation of the document once, grouped by tag", () => {
    expect(all.map((operation) => operation.id)).toHaveLength(new Set(all.map((operation) => operation.id)).size);
    expect(sections.map((section) => section.tag)).toEqual(expect.arrayContaining(["Invoices", "Customers", "Webhooks", "Payments"]));
  });

  it("shows the parameters, body fields and responses of an operation", () => {
    const create = all.find((operation) => operation.id === "createInvoice");
    expect(create?.method).toBe("POST");
    expect(create?.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }));
    expect(create?.body?.fields).toContainEqual(expect.objectContaining({ name: "number", type: "string", required: true }));
    expect(create?.responses.map((response) => response.status)).toEqual(expect.arrayContaining(["201", "401", "422"]));
    expect(create?.responses.find((response) => response.status === "201")?.fields).toContainEqual(
      expect.objectContaining({ name: "portal_url", required: false }),
    );
    const get = all.find((operation) => operation.id === "getInvoice");
    expect(get?.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path", required: true }));
    expect(all.find((operation) => operation.id === "getOpenApiDocument")?.auth).toBe(false);
  });
});
