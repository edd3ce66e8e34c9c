// The console's pages, once: the nav on every page and the home page's overview both list them,
// each shown only to the roles whose permission opens it.
import type { MessageKey } from "~/i18n";
import type { Permission } from "~/domain/console-roles";

export type ConsolePageLink = {
  href: string;
  /** Its name in the nav. */
  label: MessageKey;
  /** Its line on the home page (`console.home.page.<key>` and `….about`); the home page has none. */
  homeKey: string | null;
  permission: Permission;
};

export const CONSOLE_PAGES: readonly ConsolePageLink[] = [
  { href: "/app", label: "console.nav.home", homeKey: null, permission: "console.use" },
  { href: "/app/inbox", label: "console.nav.inbox", homeKey: "inbox", permission: "invoices.read" },
  { href: "/app/invoices", label: "console.nav.invoices", homeKey: "invoices", permission: "invoices.read" },
  { href: "/app/customers", label: "console.customers.nav", homeKey: "customers", permission: "customers.read" },
  { href: "/app/campaigns", label: "console.campaigns.nav", homeKey: "campaigns", permission: "campaigns.read" },
  { href: "/app/team", label: "console.nav.team", homeKey: "team", permission: "team.read" },
  { href: "/app/settings/api-keys", label: "console.apiKeys.nav", homeKey: "apiKeys", permission: "settings.read" },
  { href: "/app/settings/webhooks", label: "console.webhooks.nav", homeKey: "webhooks", permission: "settings.read" },
  { href: "/app/settings/payment-accounts", label: "console.paymentAccounts.nav", homeKey: "paymentAccounts", permission: "settings.read" },
  { href: "/app/account", label: "console.nav.account", homeKey: "account", permission: "console.use" },
];
