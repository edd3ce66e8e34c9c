// The console's home (/app): who is signed in, for which supplier, in which role, and where to go.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { t } from "~/i18n";
import { consoleRoute } from "~/features/console/console-route.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.home.title") }];

const route = consoleRoute({
  permission: "console.use",
  load: async (call) => ({ locale: call.locale, supplierName: call.supplier.name, role: call.role, email: call.user.email }),
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function ConsoleHome() {
  const { locale, supplierName, role, email } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>{t(locale, "console.home.title")}</h1>
      <p>{t(locale, "console.home.welcome", { email, supplier: supplierName, role: t(locale, `console.role.${role}`) })}</p>
      <p>{t(locale, "console.home.coming")}</p>
    </main>
  );
}
