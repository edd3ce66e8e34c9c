// The console's home (/app): who is signed in, for which supplier, in which role, and the pages
// this role may open, each with a line on what it is for.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { t, type MessageKey } from "~/i18n";
import type { Permission } from "~/domain/console-roles";
import { consoleRoute } from "~/features/console/console-route.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.home.title") }];

const route = consoleRoute({
  permission: "console.use",
  load: async (call) => ({
    locale: call.locale,
    supplierName: call.supplier.name,
    role: call.role,
    email: call.user.email,
    pages: PAGES.filter((page) => call.can(page.permission)).map(({ href, key }) => ({ href, key })),
  }),
});

/** The console's pages, each with a line on what it is for. */
const PAGES: { href: string; key: string; permission: Permission }[] = [
  { href: "/app/inbox", key: "inbox", permission: "invoices.read" },
  { href: "/app/invoices", key: "invoices", permission: "invoices.read" },
  { href: "/app/customers", key: "customers", permission: "customers.read" },
  { href: "/app/campaigns", key: "campaigns", permission: "campaigns.read" },
  { href: "/app/team", key: "team", permission: "team.read" },
  { href: "/app/settings/api-keys", key: "apiKeys", permission: "settings.read" },
  { href: "/app/settings/webhooks", key: "webhooks", permission: "settings.read" },
  { href: "/app/account", key: "account", permission: "console.use" },
];

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
