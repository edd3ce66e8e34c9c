// The console's frame for every signed-in page: the supplier (a switcher when the user works for
// several), the nav to the pages that exist (features/console/console-pages), the language and
// sign-out. Rendered on the server; every form works without JavaScript.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { t } from "~/i18n";
import { consoleRoute } from "~/features/console/console-route.server";
import { CONSOLE_PAGES } from "~/features/console/console-pages";
import { newInboxCount } from "~/features/inbox/inbox.server";
import { badgeText } from "~/domain/inbox";

export const handle = { hydrate: false };

const route = consoleRoute({
  permission: "console.use",
  allowWithoutTotp: true,
  load: async (call) => ({
    locale: call.locale,
    supplier: { id: call.supplier.id, name: call.supplier.name },
    email: call.user.email,
    nav: CONSOLE_PAGES.filter((page) => !page.section && call.can(page.permission)).map(({ href, label }) => ({ to: href, label })),
    suppliers: call.memberships.map((m) => ({ id: m.supplierId, name: m.supplierName })),
    // One capped, index-only count on every page (the inbox's badge).
    newInboxItems: call.can("invoices.read") ? await newInboxCount(call.app.db, call.supplier.id) : 0,
  }),
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function ConsoleLayout() {
  const { locale, supplier, email, nav, suppliers, newInboxItems } = useLoaderData<typeof loader>();
  return (
    <>
      <header className="console-bar">
        <span className="console-bar__supplier">{supplier.name}</span>
        <nav aria-label={t(locale, "console.nav.label")}>
          <ul className="console-nav">
            {nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end reloadDocument>
                  {t(locale, item.label)}
                  {item.to === "/app/inbox" && newInboxItems > 0 ? " " : null}
                  {item.to === "/app/inbox" && newInboxItems > 0 ? (
                    <span className="inbox-badge">{t(locale, "console.inbox.newCount", { count: badgeText(newInboxItems) })}</span>
                  ) : null}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        {suppliers.length > 1 ? (
          <Form method="post" action="/app/switch" reloadDocument>
            <label htmlFor="switch-supplier">{t(locale, "console.switch.label")}</label>
            <select id="switch-supplier" name="supplier_id" defaultValue={supplier.id}>
              {suppliers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <button className="button button--secondary" type="submit" name="intent" value="switch">
              {t(locale, "console.switch.submit")}
            </button>
          </Form>
        ) : null}
        <Form method="post" action="/app/sign-out" reloadDocument>
          <span>{email}</span>
          <button className="button button--secondary" type="submit">
            {t(locale, "console.signOut")}
          </button>
        </Form>
      </header>
      <Outlet />
    </>
  );
}
