import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useMatches, useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useNonce } from "~/components/nonce";
import { ErrorPage } from "~/components/error-page";
import { isLocale, negotiateLocale, type Locale } from "~/i18n";
import stylesHref from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.ico" },
];

export function loader({ request }: LoaderFunctionArgs) {
  return { locale: negotiateLocale(request) };
}

/** The page's language: the deepest route that chose one (e.g. the customer's), else the root's. */
function pageLocale(matches: ReturnType<typeof useMatches>): Locale {
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i]?.data as { locale?: unknown } | undefined;
    if (data && isLocale(data.locale)) return data.locale;
  }
  return "en";
}

/**
 * Routes whose `handle` says `{ hydrate: false }` are plain server-rendered HTML: every feature
 * works without JavaScript, so the browser downloads none and the server serialises no data twice.
 */
function wantsHydration(matches: ReturnType<typeof useMatches>): boolean {
  return !matches.some((match) => (match.handle as { hydrate?: boolean } | undefined)?.hydrate === false);
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const matches = useMatches();
  const locale = pageLocale(matches);
  const hydrate = wantsHydration(matches);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  const locale = root?.locale ?? "en";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) return <ErrorPage locale={locale} kind="notFound" />;
    if (error.status < 500) return <ErrorPage locale={locale} kind="badRequest" />;
  }
  return <ErrorPage locale={locale} kind="generic" />;
}
