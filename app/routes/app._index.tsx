// The console's home (/app): who is signed in, for which supplier, in which role, and where to go.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { t, type MessageKey } from "~/i18n";
import { consoleRoute } from "~/features/console/console-route.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.home.title") }];

const route = consoleRoute({
  permission: "console.use",
  load: async (call) => ({ locale: call.locale, supplierName: call.supplier.name, role: call.role, email: call.user.email }),
});

/** The console's pages, each with a line on what it is for. */
const PAGES: { href: string; key: string }[] = [
  { href: "/app/inbox", key: "inbox" },
  { href: "/app/invoices", key: "invoices" },
  { href: "/app/customers", key: "customers" },
  { href: "/app/campaigns", key: "campaigns" },
  { href: "/app/team", key: "team" },
  { href: "/app/settings/api-keys", key: "apiKeys" },
  { href: "/app/settings/webhooks", key: "webhooks" },
  { href: "/app/account", key: "account" },
];

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function ConsoleHome() {
  const { locale, supplierName, role, email } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>{t(locale, "console.home.title")}</h1>
      <p>{t(locale, "console.home.welcome", { email, supplier: supplierName, role: t(locale, `console.role.${role}`) })}</p>
      <p>{t(locale, "console.home.overview")}</p>
      <ul>
        {PAGES.map((page) => (
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
