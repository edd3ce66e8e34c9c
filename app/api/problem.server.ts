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

/** A problem+json body as data, so use cases can report problems without building responses. */
export type ProblemBody = { status: number; title: string; detail?: string; errors?: FieldError[] };

/** What a use case answers instead of its result when the request cannot be served. */
export type Failure = { ok: false; problem: ProblemBody };

/** Thrown inside a transaction to roll it back and answer with a problem. */
export class ProblemError extends Error {
  constructor(readonly problem: ProblemBody) {
    super(problem.detail ?? problem.title);
  }
}

export function problemResponse(body: ProblemBody, headers?: Record<string, string>): Response {
  return problem(body.status, body.title, body.detail, { ...(body.errors ? { errors: body.errors } : {}), headers });
}

export const invalid = (errors: FieldError[], detail = "The request has invalid fields."): ProblemBody => ({
  status: 422,
  title: "Validation failed",
  detail,
  errors,
});

export const conflict = (field: string, message: string): ProblemBody => ({
  status: 409,
  title: "Conflict",
  detail: message,
  errors: [{ field, message }],
});

/** Zod issues as field errors; an unknown key is reported at its own path, not the object's. */
export function fieldErrors(error: ZodError, unknownKey = "unknown field"): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ field: fieldPath([...issue.path, key]), message: unknownKey }))
      : [{ field: fieldPath(issue.path), message: issue.message }],
  );
}

/** The name of the unique constraint a database error (or its cause chain) violated, if any. */
export function uniqueViolation(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const pg = current as Error & { code?: string; constraint_name?: string };
    if (pg.code === "23505") return pg.constraint_name ?? "";
  }
  return undefined;
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
