// The one shape of an /api/v1 route: the method picks the handler (any other is a 405 naming the
// allowed ones), the API key names the supplier and the actor, the Idempotency-Key is checked
// where the route honours it, and the handler's answer becomes the response: a Failure or a
// thrown ProblemError becomes problem+json. A route file is then its handlers, one use case each.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { z, type ZodType, type ZodTypeDef } from "zod";
import { requireApiKey, type ApiCaller } from "./auth.server";
import { parseQuery } from "./cursor";
import { json, methodNotAllowed, problemResponse, ProblemError, type Failure } from "./problem.server";
import { idempotencyKeyOf, readJson } from "./request.server";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type ApiCall = {
  request: Request;
  params: LoaderFunctionArgs["params"];
  query: URLSearchParams;
  app: AppLoadContext["app"];
  caller: ApiCaller;
  /** The API key as the audit trail's actor, with where the request came from. */
  actor: { actor: "supplier"; actorId: string; ip: string; userAgent: string };
  /** The request's Idempotency-Key, if it sent one; a malformed one is a thrown 400. */
  idempotencyKey(): string | undefined;
  /** The query string by its schema; a wrong parameter is a thrown 422 naming it. */
  queryOf<T>(schema: ZodType<T, ZodTypeDef, unknown>): T;
  /** The JSON body, unvalidated unless a schema is given: use cases validate and name each wrong field. */
  body<T = unknown>(schema?: ZodType<T, ZodTypeDef, unknown>): Promise<T>;
};

export type ApiHandler = (call: ApiCall) => Promise<Response | Failure>;

/** A JSON answer to a POST that honours Idempotency-Key; a replay says so in a header. */
export function keyedJson(body: unknown, status: number, replayed: boolean, headers: Record<string, string> = {}): Response {
  return json(body, status, { ...headers, ...(replayed ? { "Idempotent-Replayed": "true" } : {}) });
}

async function run(handler: ApiHandler, { request, params, context }: LoaderFunctionArgs): Promise<Response> {
  const caller = await requireApiKey(request, context);
  const query = new URL(request.url).searchParams;
  const call: ApiCall = {
    request,
    params,
    query,
    app: context.app,
    caller,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
    idempotencyKey: () => idempotencyKeyOf(request),
    queryOf: (schema) => {
      const parsed = parseQuery(schema, query);
      if (!parsed.ok) throw new ProblemError(parsed.problem);
      return parsed.value;
    },
    body: <T>(schema?: ZodType<T, ZodTypeDef, unknown>) => readJson(request, schema ?? (z.unknown() as ZodType<T, ZodTypeDef, unknown>)),
  };
  try {
    const answer = await handler(call);
    return answer instanceof Response ? answer : problemResponse(answer.problem);
  } catch (error) {
    if (error instanceof ProblemError) return problemResponse(error.problem);
    throw error;
  }
}

/** The route's `loader` and `action` from its handlers, one per method it accepts. */
export function apiRoute(handlers: Partial<Record<Method, ApiHandler>>) {
  const allowed = Object.keys(handlers) as Method[];
  const handle = async (method: string, args: LoaderFunctionArgs): Promise<Response> => {
    const handler = handlers[method as Method];
    return handler ? run(handler, args) : methodNotAllowed(allowed);
  };
  return {
    loader: (args: LoaderFunctionArgs) => handle("GET", args),
    action: (args: ActionFunctionArgs) => handle(args.request.method === "GET" ? "" : args.request.method, args),
  };
}
