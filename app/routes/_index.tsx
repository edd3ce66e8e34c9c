import type { MetaFunction } from "@remix-run/node";
import type { loader as rootLoader } from "~/root";
import { useRouteLoaderData } from "@remix-run/react";
import { t } from "~/i18n";

export const meta: MetaFunction = () => [{ title: "Payer Portal" }];

export default function Index() {
  const locale = useRouteLoaderData<typeof rootLoader>("root")?.locale ?? "en";
  return (
    <main className="page page--narrow">
      <h1>{t(locale, "home.title")}</h1>
      <p>{t(locale, "home.lead")}</p>
    </main>
  );
}
