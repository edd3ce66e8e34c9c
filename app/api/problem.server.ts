// API errors as RFC 9457 problem details (application/problem+json), with the field paths
// that were wrong, so an ERP integration can show its user exactly what to fix.
import type { ZodError } from "zod";

export type FieldError = { field: string; message: string };

export function problem(
  status: number,
  title: string,
  detail?: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const body = {
    type: `about:blank`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...extra.headers },
  });
}

/** `["lines", 2, "net"]` → `lines[2].net` */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    "",
  ) || "(body)";
}

export function validationProblem(errors: FieldError[], detail = "The request has invalid fields."): Response {
  return problem(422, "Validation failed", detail, { errors });
}

export function zodProblem(error: ZodError): Response {
  return validationProblem(
    error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message })),
  );
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

export const notFound = (what = "Resource") => problem(404, "Not found", `${what} not found.`);

export function methodNotAllowed(allowed: string[]): Response {
  return problem(405, "Method not allowed", `Use ${allowed.join(" or ")}.`, { headers: { Allow: allowed.join(", ") } });
}
