// What every dead link shows, whether /i/<token> or a printed /p/<code>: the same 404 page with
// "send a new link", its 202 answer, and their titles, so no dead link can be told from another.
// A campaign's /c/<token> shows the same page without the form: its link is not renewable.
import { isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { LinkRequestedPage, LinkRequestForm } from "~/components/link-request";
import { isLocale, t, type Locale } from "~/i18n";

export function rootLocale(data: unknown): Locale {
  const locale = (data as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : "en";
}

/** The page's title and tags when the route answered with an error (404, 202 or worse). */
export function deadLinkMeta(error: unknown, rootData: unknown) {
  const locale = rootLocale(rootData);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 202 ? "linkRequest.sent.title" : status === 404 ? "error.notFound.title" : "error.generic.title";
  return [{ title: t(locale, title) }, { name: "referrer", content: "no-referrer" }];
}

/** `renewable: false` leaves out "send a new link" (a campaign's customer-level link). */
export function DeadLinkBoundary({ renewable = true }: { renewable?: boolean }) {
  const error = useRouteError();
  const locale = rootLocale(useRouteLoaderData("root"));
  if (isRouteErrorResponse(error) && error.status === 202) return <LinkRequestedPage locale={locale} />;
  if (isRouteErrorResponse(error) && error.status === 404) {
    return <ErrorPage locale={locale} kind="notFound">{renewable && <LinkRequestForm locale={locale} />}</ErrorPage>;
  }
  if (isRouteErrorResponse(error) && error.status < 500) return <ErrorPage locale={locale} kind="badRequest" />;
  return <ErrorPage locale={locale} kind="generic" />;
}
