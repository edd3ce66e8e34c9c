// The payer's portal page for one invoice, reached by a signed link (security L1–L3, L5–L7).
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { InvoicePage } from "~/components/invoice/invoice-page";
import { isLocale, t, type Locale } from "~/i18n";
import { shortHash } from "~/logger.server";
import { loadPortalPage } from "~/services/portal.server";

// The page holds invoice data behind a bearer link: no shared cache may keep it.
const NO_STORE = { "Cache-Control": "private, no-store" };

/** Every failure looks the same to the visitor: which check failed is only in our log. */
function linkNotFound(): Response {
  return new Response(null, { status: 404, headers: NO_STORE });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const { ip, userAgent } = context.request;
  const result = await loadPortalPage(context.app.db, context.app.config, { token, request, ip, userAgent });
  if (!result.ok) {
    context.app.log.info({ tokenHash: shortHash(token), ip, reason: result.reason }, "link rejected");
    throw linkNotFound();
  }
  return result.page;
}

export const headers: HeadersFunction = () => NO_STORE;

function rootLocale(data: unknown): Locale {
  const locale = (data as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : "en";
}

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) => {
  const tags = [{ name: "referrer", content: "no-referrer" }];
  if (!data) {
    const locale = rootLocale(matches.find((match) => match.id === "root")?.data);
    const notFound = isRouteErrorResponse(error) && error.status === 404;
    return [{ title: t(locale, notFound ? "error.notFound.title" : "error.generic.title") }, ...tags];
  }
  const { locale, invoice, supplier } = data;
  return [
    { title: t(locale, "portal.meta.title", { number: invoice.number, supplier: supplier.name }) },
    ...tags,
    ...(supplier.brandColor ? [{ name: "theme-color", content: supplier.brandColor }] : []),
  ];
};

/**
 * The route's own boundary (same page as the root's) so that the 404 also carries this route's
 * headers and meta: no-store and no-referrer.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const locale = rootLocale(useRouteLoaderData("root"));
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return <ErrorPage locale={locale} kind={notFound ? "notFound" : "generic"} />;
}

export default function InvoiceRoute() {
  return <InvoicePage page={useLoaderData<typeof loader>()} />;
}
