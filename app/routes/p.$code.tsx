// The printed "pay now" link `/p/<code>` (issue #6), public: a visit is redirected to a working
// portal link `/i/<token>`. Garbage codes are refused before any database query; unknown, cancelled
// and retired codes get the very 404 page a dead portal link gets (security L1, L2).
import { redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { DeadLinkBoundary, deadLinkMeta } from "~/components/dead-link";
import { shortHash } from "~/platform/logger.server";
import { isLinkRequest } from "~/features/links/new-link.server";
import { resolvePayCode } from "~/features/links/pay-links.server";

// The redirect carries a portal token: no cache may keep it, and it must not leak as a Referer.
const NO_STORE = { "Cache-Control": "private, no-store" };

/** Every failure looks the same to the visitor: which check failed is only in our log. */
function linkNotFound(): Response {
  return new Response(null, { status: 404, headers: NO_STORE });
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  const { ip } = context.request;
  const result = await resolvePayCode(context.app.db, context.app.config, code);
  if (!result.ok) {
    context.app.log.info({ codeHash: shortHash(code), ip, reason: result.reason }, "pay link rejected");
    throw linkNotFound();
  }
  context.app.log.info({ codeHash: shortHash(code), ip, invoiceId: result.invoiceId, issued: result.issued }, "pay link followed");
  // 303 and no-store: the browser asks again next time, and so always lands on a current link.
  // (Referrer-Policy: no-referrer comes with every response, from server/security-headers.ts.)
  throw redirect(result.location, { status: 303, headers: { "Cache-Control": "no-store" } });
}

/**
 * The 404 page's "send a new link" form posts here. A pay code that 404s is unknown, cancelled,
 * revoked with its key, or its invoice long settled: the portal would mail nothing for any of
 * them, and answers every such request alike, so this does the same without looking.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (await isLinkRequest(request)) throw new Response(null, { status: 202, headers: NO_STORE });
  throw linkNotFound();
}

export const headers: HeadersFunction = () => NO_STORE;

export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ error, matches }) =>
  deadLinkMeta(error, matches.find((match) => match.id === "root")?.data);

/** The portal's own 404 and 202 pages, so a dead pay link looks like any dead link. */
export function ErrorBoundary() {
  return <DeadLinkBoundary />;
}

/** Never rendered (the loader always redirects or throws); a page module, so its 404 is a page. */
export default function PayLinkRoute() {
  return null;
}
