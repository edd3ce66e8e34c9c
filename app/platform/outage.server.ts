// While PostgreSQL is away (restarting, failing over) a page or an API call answers 503 with
// Retry-After, never a 500 with a stack: a payer sees "try again in a moment", an ERP's client
// and a provider's webhook retry, and a load balancer's probe (/readyz) takes the process out.
// Every route's loader and action is wrapped once, when the build is loaded.
import type { ServerBuild } from "@remix-run/node";
import { isDatabaseUnavailable } from "../../db/client";

export const RETRY_AFTER_SECONDS = 5;

/** The answer to a request that needed the database while it was away. */
export function databaseUnavailableResponse(request: Request): Response {
  const headers = { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" };
  if (new URL(request.url).pathname.startsWith("/api/")) {
    const body = { type: "about:blank", title: "Service Unavailable", status: 503, detail: "The service is briefly unavailable; retry after the number of seconds in Retry-After." };
    return new Response(JSON.stringify(body), { status: 503, headers: { ...headers, "Content-Type": "application/problem+json" } });
  }
  // Thrown from a page's loader or action, this renders the error page with status 503.
  return new Response("Service unavailable: try again in a moment.", { status: 503, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
}

type Handler = (args: { request: Request }) => unknown;

function guarded(handler: Handler | undefined): Handler | undefined {
  if (!handler) return undefined;
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw databaseUnavailableResponse(args.request);
      throw error;
    }
  };
}

/** The build with every loader and action answering 503 + Retry-After when the database is unreachable. */
export function answeringOutagesWith503(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = route.module as unknown as Record<string, unknown>;
      const loader = guarded(module.loader as Handler | undefined);
      const action = guarded(module.action as Handler | undefined);
      return [id, { ...route, module: { ...module, ...(loader ? { loader } : {}), ...(action ? { action } : {}) } as unknown as typeof route.module }];
    }),
  );
  return { ...build, routes };
}
