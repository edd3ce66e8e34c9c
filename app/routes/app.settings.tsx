// The frame of every settings page (/app/settings/…): a sub-nav to the company details, the
// reminder policy, payment accounts, API keys and webhooks (CONSOLE_PAGES' settings section),
// above the page. Owners and admins only (settings.read); the page itself checks again.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { t } from "~/i18n";
import { consoleRoute } from "~/features/console/console-route.server";
import { CONSOLE_PAGES } from "~/features/console/console-pages";

export const handle = { hydrate: false };

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => ({
    locale: call.locale,
    pages: CONSOLE_PAGES.filter((page) => page.section === "settings" && call.can(page.permission)).map(({ href, label }) => ({ to: href, label })),
  }),
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function SettingsLayout() {
  const { locale, pages } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="settings-nav" aria-label={t(locale, "console.settings.navLabel")}>
        <ul>
          <li>
            <NavLink to="/app/settings" end reloadDocument>{t(locale, "console.settings.nav")}</NavLink>
          </li>
          {pages.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} reloadDocument>{t(locale, page.label)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
