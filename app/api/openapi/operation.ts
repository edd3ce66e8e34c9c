// How an /api/v1 operation is declared for the OpenAPI document, and the small builders the
// declarations share. A leaf module: each feature's API file declares its operations with these,
// next to the schemas it validates with, and app/api/openapi/operations.ts lists the features.
import { z } from "zod";
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";

extendZodWithOpenApi(z);

export type Method = "get" | "post" | "put" | "patch" | "delete";

type Content = { schema: z.ZodTypeAny; contentType?: string };

export type Success = Content & {
  status: number;
  description: string;
  schemaName?: string;
  /** Response headers by name, with what each holds (a 202's Location). */
  headers?: Record<string, string>;
};

export type Operation = {
  method: Method;
  /** OpenAPI path template: /api/v1/invoices/{id}. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** false for the document itself; every other operation needs `Authorization: Bearer <key>`. */
  auth?: false;
  params?: z.AnyZodObject;
  query?: z.AnyZodObject;
  /**
   * The request body: JSON unless `contentTypes` names the raw types the route reads (a CSV, a
   * bank file), with the most bytes it takes (JSON bodies: MAX_JSON_BODY_BYTES).
   */
  body?: {
    schema: z.ZodTypeAny; contentTypes?: readonly string[]; maxBytes?: number; required?: boolean; schemaName?: string;
    /** A body the API accepts: the document shows it, and the contract test sends it expecting a 2xx. */
    example?: unknown;
  };
  /** Takes an Idempotency-Key header (a retry answers the first result again). */
  idempotent?: boolean;
  success: Success[];
  /**
   * problem+json statuses besides the standard ones every operation gets (document.server:
   * standardStatuses): 401 with a key, 404 on paths with ids, 405, 429, and 400/413/415/422 with a body.
   */
  errors?: number[];
};

export const id = (name: string, prefix: string) =>
  z.string().openapi({ param: { name, in: "path" }, example: `${prefix}_4mZ7Qk2Vb9XcYtR1sPq3Lw` });

export const json = (status: number, description: string, schema: z.ZodTypeAny, schemaName?: string): Success => ({
  status,
  description,
  schema,
  ...(schemaName ? { schemaName } : {}),
});
/** 202 for work a job does: the resource that follows it, and its URL in Location. */
export const accepted = (description: string, schema: z.ZodTypeAny, schemaName: string, location: string): Success => ({
  ...json(202, description, schema, schemaName),
  headers: { Location: location },
});
export const noContent = (description: string): Success => ({ status: 204, description, schema: z.void() });
export const binary = (contentType: string, description: string): Success => ({
  status: 200,
  description,
  contentType,
  schema: z.string().openapi({ format: "binary" }),
});
export const body = (schema: z.ZodTypeAny, schemaName: string, example: unknown, required = true) => ({ schema, schemaName, example, required });

/** An instant: RFC 3339 with its offset (the API answers in UTC, Z). */
export const instant = z.string().openapi({ format: "date-time", example: "2026-03-14T09:00:00.000Z" });
export const nullableString = z.string().nullable();

/** The example a schema carries for the document (`.openapi({ example })`), if any. */
export const exampleOf = (schema: z.ZodTypeAny): unknown =>
  (schema._def as { openapi?: { metadata?: { example?: unknown } } }).openapi?.metadata?.example;

/** What a cursor looks like: opaque base64url, to pass back as ?cursor=. */
const CURSOR_EXAMPLE = "WyIyMDI2LTAzLTAxVDA4OjE1OjAyLjEyMzQ1NloiLCJpbnZfNG1aN1FrMlZiOVhjWXRSMXNQcTNMdyJd";

/** A page of items; its example is the item's example, with a next page to fetch. */
export const page = <T extends z.ZodTypeAny>(item: T) => {
  const schema = z.object({ data: z.array(item), next_cursor: z.string().nullable() }).strict();
  const example = exampleOf(item);
  return example === undefined ? schema : schema.openapi({ example: { data: [example], next_cursor: CURSOR_EXAMPLE } as z.input<typeof schema> });
};
/** A whole list; its example is the item's example. */
export const list = <T extends z.ZodTypeAny>(item: T) => {
  const schema = z.object({ data: z.array(item) }).strict();
  const example = exampleOf(item);
  return example === undefined ? schema : schema.openapi({ example: { data: [example] } as z.input<typeof schema> });
};
