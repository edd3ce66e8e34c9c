// The supplier's invoices (/app/invoices): filters, search and sort in one GET form, so the URL is
// the list (shareable, works without JavaScript), keyset pages and a CSV of the same list.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { t, type MessageKey } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { CONSOLE_INVOICE_STATUSES, INVOICE_SORT_KEYS, type ConsoleInvoiceStatus } from "~/domain/console-invoice-list";
import { consoleRoute } from "~/features/console/console-route.server";
import { invoiceListPage } from "~/features/console/invoice-list.server";
import { Notice } from "~/components/console/console-form";
import { InvoiceStatusTags, money } from "~/components/console/invoice-status";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.invoices.title") }];

const route = consoleRoute({
  permission: "invoices.read",
  load: async (call) => {
    const params = new URL(call.request.url).searchParams;
    const page = await invoiceListPage(call.app.db, call.supplier.id, params, call.now);
    params.delete("after");
    return { locale: call.locale, ...page, filters: Object.fromEntries(params), csvQuery: params.toString() };
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

function TextFilter({ name, label, value, type = "text", inputMode }: { name: string; label: string; value: string | undefined; type?: string; inputMode?: "decimal" }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <input id={`filter-${name}`} name={name} type={type} defaultValue={value ?? ""} inputMode={inputMode} />
    </div>
  );
}

export default function InvoicesPage() {
  const { locale, query, errors, customer, items, next, filters, csvQuery } = useLoaderData<typeof loader>();
  const nextQuery = new URLSearchParams(filters);
  if (next) nextQuery.set("after", next);
  return (
    <main className="page console-invoices">
      <h1>{t(locale, "console.invoices.title")}</h1>
      <Form method="get" reloadDocument className="console-invoices__filters" aria-label={t(locale, "console.invoices.filters")}>
        <TextFilter name="q" type="search" label={t(locale, "console.invoices.search")} value={filters.q} />
        <div className="field">
          <label htmlFor="filter-status">{t(locale, "console.invoices.status")}</label>
          <select id="filter-status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">{t(locale, "console.invoices.status.any")}</option>
            {CONSOLE_INVOICE_STATUSES.map((s) => (
              <option key={s} value={s}>{t(locale, `console.invoices.status.${s}`)}</option>
            ))}
          </select>
        </div>
        {customer ? <input type="hidden" name="customer" value={customer.id} /> : null}
        <TextFilter name="issued_from" type="date" label={t(locale, "console.invoices.issuedFrom")} value={filters.issued_from} />
        <TextFilter name="issued_to" type="date" label={t(locale, "console.invoices.issuedTo")} value={filters.issued_to} />
        <TextFilter name="due_from" type="date" label={t(locale, "console.invoices.dueFrom")} value={filters.due_from} />
        <TextFilter name="due_to" type="date" label={t(locale, "console.invoices.dueTo")} value={filters.due_to} />
        <TextFilter name="amount_min" label={t(locale, "console.invoices.amountMin")} value={filters.amount_min} inputMode="decimal" />
        <TextFilter name="amount_max" label={t(locale, "console.invoices.amountMax")} value={filters.amount_max} inputMode="decimal" />
        <div className="field">
          <label htmlFor="filter-sort">{t(locale, "console.invoices.sort")}</label>
          <select id="filter-sort" name="sort" defaultValue={query.sort}>
            {INVOICE_SORT_KEYS.map((key) => (
              <option key={key} value={key}>{t(locale, `console.invoices.sort.${key}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-dir">{t(locale, "console.invoices.direction")}</label>
          <select id="filter-dir" name="dir" defaultValue={query.direction}>
            <option value="asc">{t(locale, "console.invoices.direction.asc")}</option>
            <option value="desc">{t(locale, "console.invoices.direction.desc")}</option>
          </select>
        </div>
        <div className="console-invoices__buttons">
          <button className="button" type="submit">{t(locale, "console.invoices.apply")}</button>
          <a className="button button--secondary" href="/app/invoices">{t(locale, "console.invoices.clear")}</a>
        </div>
      </Form>
      {customer ? (
        <p>
          {t(locale, "console.invoices.customerFilter", { name: customer.name })}{" "}
          <a href={`/app/invoices?${withoutParam(filters, "customer")}`}>{t(locale, "console.invoices.customerFilterClear")}</a>
        </p>
      ) : null}
      {errors.length > 0 ? (
        <Notice tone="error">
          {t(locale, "console.invoices.badFilter")} {errors.map((field) => t(locale, `console.invoices.field.${field}` as MessageKey)).join(", ")}
        </Notice>
      ) : null}
      <p>
        <a href={`/app/invoices.csv${csvQuery ? `?${csvQuery}` : ""}`} download>{t(locale, "console.invoices.export")}</a>
      </p>
      {items.length === 0 && errors.length === 0 ? <p>{t(locale, "console.invoices.none")}</p> : null}
      {items.length > 0 ? (
        <div className="console-table-scroll">
          <table className="console-table console-invoices__table">
            <caption className="visually-hidden">{t(locale, "console.invoices.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(locale, "console.invoices.number")}</th>
                <th scope="col">{t(locale, "console.invoices.customer")}</th>
                <th scope="col">{t(locale, "console.invoices.issued")}</th>
                <th scope="col">{t(locale, "console.invoices.due")}</th>
                <th scope="col" className="num">{t(locale, "console.invoices.total")}</th>
                <th scope="col" className="num">{t(locale, "console.invoices.balance")}</th>
                <th scope="col">{t(locale, "console.invoices.status")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((invoice) => (
                <tr key={invoice.id}>
                  <td><a href={`/app/invoices/${invoice.id}`}>{invoice.number}</a></td>
                  <td><a href={`/app/invoices?${withParam(filters, "customer", invoice.customer.id)}`}>{invoice.customer.name}</a></td>
                  <td>{formatDate(invoice.issueDate, locale)}</td>
                  <td>{formatDate(invoice.dueDate, locale)}</td>
                  <td className="num">{money(invoice.total, invoice.currency, locale)}</td>
                  <td className="num">{money(invoice.balance, invoice.currency, locale)}</td>
                  <td><InvoiceStatusTags locale={locale} statuses={invoice.statuses as ConsoleInvoiceStatus[]} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav className="console-pager" aria-label={t(locale, "console.invoices.pages")}>
        {query.after ? <a href={`/app/invoices?${new URLSearchParams(filters).toString()}`}>{t(locale, "console.invoices.firstPage")}</a> : null}
        {next ? <a href={`/app/invoices?${nextQuery.toString()}`} rel="next">{t(locale, "console.invoices.nextPage")}</a> : null}
      </nav>
    </main>
  );
}

function withParam(filters: Record<string, string>, name: string, value: string): string {
  const params = new URLSearchParams(filters);
  params.set(name, value);
  return params.toString();
}

function withoutParam(filters: Record<string, string>, name: string): string {
  const params = new URLSearchParams(filters);
  params.delete(name);
  return params.toString();
}
