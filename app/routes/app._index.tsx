// The console's home (/app): who is signed in, for which supplier, in which role, and the pages
// this role may open, each with a line on what it is for.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { t, type MessageKey } from "~/i18n";
import { consoleRoute } from "~/features/console/console-route.server";
import { CONSOLE_PAGES } from "~/features/console/console-pages";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.home.title") }];

const route = consoleRoute({
  permission: "console.use",
  load: async (call) => ({
    locale: call.locale,
    supplierName: call.supplier.name,
    role: call.role,
    email: call.user.email,
    pages: CONSOLE_PAGES.flatMap(({ href, homeKey, permission, section }) => (homeKey !== null && !section && call.can(permission) ? [{ href, key: homeKey }] : [])),
  }),
});


export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function ConsoleHome() {
  const { locale, supplierName, role, email, pages } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>{t(locale, "console.home.title")}</h1>
      <p>{t(locale, "console.home.welcome", { email, supplier: supplierName, role: t(locale, `console.role.${role}`) })}</p>
      <p>{t(locale, "console.home.overview")}</p>
      <ul>
        {pages.map((page) => (
          <li key={page.href}>
            <a href={page.href}>{t(locale, `console.home.page.${page.key}` as MessageKey)}</a>
            {" – "}
            {t(locale, `console.home.page.${page.key}.about` as MessageKey)}
          </li>
        ))}
      </ul>
    </main>
  );
}
