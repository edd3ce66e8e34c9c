// One customer (/app/customers/:id): its billing contacts with their email status and when the
// customer last confirmed them, its open and paid invoices, its campaign answers. A member edits
// the contacts here (customers.edit: add, change, remove) through the API's own use cases; a
// sales user sees the same page without a single form. Another supplier's id is a 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import type { CurrencyCode } from "~/domain/money";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate, formatDateTime } from "~/i18n/format";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute, field, notFound, type ConsoleCall } from "~/features/console/console-route.server";
import {
  addContactFromConsole, changeContactFromConsole, customerOverview, removeContactFromConsole, type ConsoleInvoice, type ContactEditResult,
  type ContactEditor,
} from "~/features/customers/customer-console.server";
import { ContactFieldsInputs } from "~/components/invoice/contacts";
import { PayerForm, formState, hasErrors } from "~/components/invoice/form-fields";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.customer.name} – ${t(data.locale, "console.customers.title")}` : "" },
];

const editor = (call: ConsoleCall): ContactEditor => ({
  supplierId: call.supplier.id, userId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null,
});

const fieldsOf = (form: FormData) => {
  const fields = new Map<string, string[]>();
  for (const [name, value] of form) if (typeof value === "string") fields.set(name, [...(fields.get(name) ?? []), value]);
  return fields;
};

/** Done: the page again (POST-redirect-GET); another supplier's ids: 404; else the form with its errors. */
function answer(call: ConsoleCall, result: ContactEditResult) {
  if (result.ok) return redirect(`/app/customers/${call.params.id}`, { status: 303, headers: NO_STORE });
  if (result.notFound) throw notFound();
  return json(result.data, 422, NO_STORE);
}

const route = consoleRoute({
  permission: "customers.read",
  load: async (call) => {
    const overview = await customerOverview(call.app.db, call.supplier.id, call.params.id ?? "", call.now);
    if (!overview) throw notFound();
    const iso = (value: Date | null) => value?.toISOString() ?? null;
    return {
      locale: call.locale,
      edit: call.can("customers.edit"),
      campaigns: call.can("campaigns.read"),
      timeZone: overview.timeZone,
      customer: { ...overview.customer, contactsConfirmedAt: iso(overview.customer.contactsConfirmedAt) },
      contacts: overview.contacts.map((contact) => ({ ...contact, emailFailingAt: iso(contact.emailFailingAt) })),
      open: overview.open,
      paid: overview.paid,
      answers: overview.campaigns.map((row) => ({
        ...row, deadline: row.deadline.toISOString(), cancelledAt: iso(row.cancelledAt), openedAt: iso(row.openedAt), answeredAt: iso(row.answeredAt),
      })),
    };
  },
  intents: {
    "add-contact": {
      permission: "customers.edit",
      run: async (call, form) => answer(call, await addContactFromConsole(call.app.db, editor(call), call.params.id ?? "", fieldsOf(form))),
    },
    "update-contact": {
      permission: "customers.edit",
      run: async (call, form) =>
        answer(call, await changeContactFromConsole(call.app.db, editor(call), call.params.id ?? "", field(form, "contact_id"), fieldsOf(form))),
    },
    "remove-contact": {
      permission: "customers.edit",
      run: async (call, form) => answer(call, await removeContactFromConsole(call.app.db, editor(call), call.params.id ?? "", field(form, "contact_id"))),
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function InvoiceTable({ locale, invoices, caption }: { locale: Locale; invoices: ConsoleInvoice[]; caption: string }) {
  if (invoices.length === 0) return <p>{t(locale, "console.customers.noInvoices")}</p>;
  return (
    <table className="console-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(locale, "console.customers.invoiceNumber")}</th>
          <th scope="col">{t(locale, "console.customers.dueDate")}</th>
          <th scope="col">{t(locale, "console.customers.amount")}</th>
          <th scope="col">{t(locale, "console.customers.state")}</th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((invoice) => (
          <tr key={invoice.id}>
            <td>
              <Link to={`/app/invoices/${invoice.id}`} reloadDocument>{invoice.number}</Link>
            </td>
            <td>{formatDate(invoice.dueDate, locale)}</td>
            <td>
              {formatAmount(invoice.status === "paid" ? invoice.total : invoice.total - invoice.amountPaid, invoice.currency as CurrencyCode, locale)}
            </td>
            <td>
              {t(locale, `console.customers.invoice.${invoice.status}`)}
              {invoice.disputed ? ` · ${t(locale, "console.customers.invoice.disputed")}` : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EmailStatus({ contact, locale, timeZone }: { contact: Data["contacts"][number]; locale: Locale; timeZone: string }) {
  if (!contact.email) return <>{t(locale, "console.customers.email.none")}</>;
  if (!contact.emailFailure) return <>{t(locale, "console.customers.email.ok")}</>;
  return (
    <strong className="console-bad">
      {t(locale, `console.customers.email.${contact.emailFailure}`, {
        date: contact.emailFailingAt ? formatDateTime(contact.emailFailingAt, locale, timeZone) : "",
      })}
    </strong>
  );
}

export default function CustomerPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { locale, customer, timeZone } = data;
  const actionData = failure && "form" in failure ? failure : undefined;
  const addForm = formState("add-contact", {}, actionData, locale);
  return (
    <main className="page page--wide">
      <p>
        <Link to="/app/customers" reloadDocument>{t(locale, "console.customers.back")}</Link>
      </p>
      <h1>{customer.name}</h1>
      <dl className="console-facts">
        <div><dt>{t(locale, "console.customers.number")}</dt><dd>{customer.externalId ?? "–"}</dd></div>
        <div><dt>{t(locale, "console.customers.orgNumber")}</dt><dd>{customer.orgNumber ?? "–"}</dd></div>
        <div>
          <dt>{t(locale, "console.customers.confirmed")}</dt>
          <dd>{customer.contactsConfirmedAt ? formatDateTime(customer.contactsConfirmedAt, locale, timeZone) : t(locale, "console.customers.neverConfirmed")}</dd>
        </div>
      </dl>

      <section aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">{t(locale, "console.customers.contacts")}</h2>
        {data.contacts.length === 0 ? <p>{t(locale, "console.customers.noContacts")}</p> : null}
        <ul className="console-cards">
          {data.contacts.map((contact, index) => {
            const form = formState(`update-contact:${contact.id}`, {}, actionData, locale);
            const title = contact.name ?? contact.email ?? t(locale, "contacts.unnamed", { number: index + 1 });
            return (
              <li key={contact.id} className="console-card">
                <h3 id={`contact-${contact.id}`}>{title}</h3>
                <dl className="console-facts">
                  <div><dt>{t(locale, "contacts.field.email")}</dt><dd>{contact.email ?? "–"}</dd></div>
                  <div><dt>{t(locale, "console.customers.emailStatus")}</dt><dd><EmailStatus contact={contact} locale={locale} timeZone={timeZone} /></dd></div>
                  <div><dt>{t(locale, "contacts.field.channel")}</dt><dd>{t(locale, `contacts.channel.${contact.channel}`)}</dd></div>
                  {contact.invoiceReference ? <div><dt>{t(locale, "contacts.field.invoice_reference")}</dt><dd>{contact.invoiceReference}</dd></div> : null}
                  {contact.phone ? <div><dt>{t(locale, "contacts.field.phone")}</dt><dd>{contact.phone}</dd></div> : null}
                </dl>
                {data.edit ? (
                  <>
                    <details className="disclosure" open={hasErrors(form)}>
                      <summary>
                        {t(locale, "console.customers.change")}
                        <span className="visually-hidden">: {title}</span>
                      </summary>
                      <PayerForm form={form} intent="update-contact" hidden={{ contact_id: contact.id }}>
                        <ContactFieldsInputs form={form} contact={contact} />
                        <button type="submit" className="button">{t(locale, "contacts.save")}</button>
                      </PayerForm>
                    </details>
                    <form method="post" className="console-row-form">
                      <input type="hidden" name="contact_id" value={contact.id} />
                      <button type="submit" className="button button--secondary" name="intent" value="remove-contact">
                        {t(locale, "console.customers.remove")}
                        <span className="visually-hidden">: {title}</span>
                      </button>
                    </form>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
        {data.edit ? (
          <details className="disclosure" open={hasErrors(addForm)}>
            <summary>{t(locale, "contacts.add")}</summary>
            <PayerForm form={addForm} intent="add-contact">
              <ContactFieldsInputs form={addForm} contact={null} />
              <button type="submit" className="button">{t(locale, "contacts.addButton")}</button>
            </PayerForm>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="open-heading">
        <h2 id="open-heading">{t(locale, "console.customers.openInvoices")}</h2>
        <InvoiceTable locale={locale} invoices={data.open} caption={t(locale, "console.customers.openInvoices")} />
      </section>
      <section aria-labelledby="paid-heading">
        <h2 id="paid-heading">{t(locale, "console.customers.paidInvoices")}</h2>
        <InvoiceTable locale={locale} invoices={data.paid} caption={t(locale, "console.customers.paidInvoices")} />
      </section>

      <section aria-labelledby="answers-heading">
        <h2 id="answers-heading">{t(locale, "console.customers.answers")}</h2>
        {data.answers.length === 0 ? (
          <p>{t(locale, "console.customers.noAnswers")}</p>
        ) : (
          <ul>
            {data.answers.map((row) => (
              <li key={row.campaignId}>
                {data.campaigns ? <Link to={`/app/campaigns/${row.campaignId}`} reloadDocument>{row.campaignName}</Link> : row.campaignName}
                {": "}
                {row.answer && row.answeredAt
                  ? t(locale, `console.customers.answer.${row.answer}`, { date: formatDateTime(row.answeredAt, locale, timeZone) })
                  : t(locale, row.openedAt ? "console.customers.answer.opened" : "console.customers.answer.none")}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
