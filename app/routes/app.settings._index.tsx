// The settings' index (/app/settings): each settings page with a line on what it holds.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { t, type MessageKey } from "~/i18n";
import { consoleRoute } from "~/features/console/console-route.server";
import { CONSOLE_PAGES } from "~/features/console/console-pages";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.settings.title") }];

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => ({
    locale: call.locale,
    pages: CONSOLE_PAGES.flatMap(({ href, homeKey, permission, section }) => (section === "settings" && homeKey !== null && call.can(permission) ? [{ href, key: homeKey }] : [])),
  }),
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function SettingsIndex() {
  const { locale, pages } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>{t(locale, "console.settings.title")}</h1>
      <ul className="console-cards">
        {pages.map((page) => (
          <li key={page.href} className="console-card">
            <h2 className="console-card__title">
              <a href={page.href}>{t(locale, `console.home.page.${page.key}` as MessageKey)}</a>
            </h2>
            <p>{t(locale, `console.home.page.${page.key}.about` as MessageKey)}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
