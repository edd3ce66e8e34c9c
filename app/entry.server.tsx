import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { withoutSqlParameters } from "~/platform/logger.server";
import { isBodyLimitExceeded } from "~/platform/request-body.server";
import { RETRY_AFTER_SECONDS } from "~/platform/outage.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.request.cspNonce;
  // A page whose loader met a database outage (platform/outage.server.ts): clients may retry.
  if (responseStatusCode === 503) responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
  const app = (
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </NonceProvider>
  );
  // A page without JavaScript (handle.hydrate false) has nothing to stream later: one string is
  // cheaper to render and to send than a stream of small chunks.
  if (!hydrates(remixContext)) {
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    return new Response(`<!DOCTYPE html>${renderToString(app)}`, { headers: responseHeaders, status: responseStatusCode });
  }
  // Bots and mail scanners get the complete document at once; browsers get it streamed.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      app,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          // Without this, every response kept a 5-second timer that then aborted a finished render.
          body.on("close", () => clearTimeout(abortTimer));
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    const abortTimer = setTimeout(abort, ABORT_DELAY);
  });
}

function hydrates(context: EntryContext): boolean {
  return !context.staticHandlerContext.matches.some(
    (match) => (context.routeModules[match.route.id]?.handle as { hydrate?: boolean } | undefined)?.hydrate === false,
  );
}

/**
 * Unexpected errors only; the message never includes the URL, which may hold a link token, nor a
 * failed query's parameters (security D5).
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  // A body the server cut off at its limit (security R2) has had its 413 already.
  if (request.signal.aborted || isBodyLimitExceeded(error)) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(withoutSqlParameters(error instanceof Error ? error.stack ?? error.message : error));
}
