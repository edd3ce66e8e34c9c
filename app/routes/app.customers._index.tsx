// The customers (/app/customers): by name, searchable by a part of the name, the customer number
// or the organisation number, fifty to a page (keyset: "next page" carries the last id shown).
// Everyone on the team may read it, sales included (customers.read).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { t } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { consoleRoute } from "~/features/console/console-route.server";
import { customerDirectory } from "~/features/customers/customer-console.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.customers.title") }];

const route = consoleRoute({
  permission: "customers.read",
  load: async (call) => {
    const url = new URL(call.request.url);
    const search = url.searchParams.get("q") ?? "";
    const after = url.searchParams.get("after") ?? undefined;
    const page = await customerDirectory(call.app.db, call.supplier.id, { search, after });
    return {
      locale: call.locale,
      timeZone: page.timeZone,
      search,
      paged: after !== undefined,
      nextAfter: page.nextAfter,
      customers: page.rows.map((row) => ({ ...row, contactsConfirmedAt: row.contactsConfirmedAt?.toISOString() ?? null })),
    };
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function CustomersPage() {
  const { locale, timeZone, search, paged, nextAfter, customers } = useLoaderData<typeof loader>();
  const query = (extra: Record<string, string>) => `?${new URLSearchParams({ ...(search ? { q: search } : {}), ...extra })}`;
  return (
    <main className="page page--wide">
      <h1>{t(locale, "console.customers.title")}</h1>
      <Form method="get" className="console-search" role="search" reloadDocument>
        <label htmlFor="customer-search">{t(locale, "console.customers.search")}</label>
        <span className="field-hint" id="customer-search-hint">{t(locale, "console.customers.searchHint")}</span>
        <div className="console-search__row">
          <input id="customer-search" name="q" type="search" defaultValue={search} maxLength={200} aria-describedby="customer-search-hint" />
          <button className="button" type="submit">{t(locale, "console.customers.searchSubmit")}</button>
        </div>
      </Form>
      {customers.length === 0 ? (
        <p>{t(locale, search ? "console.customers.noMatch" : "console.customers.none")}</p>
      ) : (
        <table className="console-table">
          <caption className="visually-hidden">{t(locale, "console.customers.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(locale, "console.customers.name")}</th>
              <th scope="col">{t(locale, "console.customers.number")}</th>
              <th scope="col">{t(locale, "console.customers.orgNumber")}</th>
              <th scope="col">{t(locale, "console.customers.confirmed")}</th>
            </tr>
          </thead>
          <tbody>
            {customers.map((customer) => (
              <tr key={customer.id}>
                <td>
                  <Link to={`/app/customers/${customer.id}`} reloadDocument>{customer.name}</Link>
                </td>
                <td>{customer.externalId ?? "–"}</td>
                <td>{customer.orgNumber ?? "–"}</td>
                <td>
                  {customer.contactsConfirmedAt
                    ? formatDateTime(customer.contactsConfirmedAt, locale, timeZone)
                    : t(locale, "console.customers.neverConfirmed")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="console-pager" aria-label={t(locale, "console.customers.pages")}>
        {paged ? <a href={query({})}>{t(locale, "console.customers.first")}</a> : null}
        {nextAfter ? <a href={query({ after: nextAfter })}>{t(locale, "console.customers.next")}</a> : null}
      </nav>
    </main>
  );
}
