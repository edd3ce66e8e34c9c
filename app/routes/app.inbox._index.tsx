// The inbox (/app/inbox): everything that needs the team, newest first, filtered by state, kind
// and assignee with a plain GET form; paging by cursor. Reading needs `invoices.read`.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { t } from "~/i18n";
import { INBOX_STATE_FILTERS } from "~/domain/inbox";
import { consoleRoute } from "~/features/console/console-route.server";
import { inboxList, parseInboxQuery, supplierTimeZone } from "~/features/inbox/inbox.server";
import { InboxSummary, InboxWhen } from "~/components/console/inbox-item";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.inbox.title") }];

const route = consoleRoute({
  permission: "invoices.read",
  load: async (call) => {
    const query = parseInboxQuery(new URL(call.request.url).searchParams);
    const [list, timeZone] = await Promise.all([
      inboxList(call.app.db, call.supplier.id, call.user.id, query),
      supplierTimeZone(call.app.db, call.supplier.id),
    ]);
    return { locale: call.locale, timeZone, query, ...list };
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);

export default function InboxPage() {
  const { locale, timeZone, query, items, nextCursor, kinds, team } = useLoaderData<typeof loader>();
  const filters = new URLSearchParams({ state: query.state, kind: query.kind ?? "", assignee: query.assignee ?? "" });
  return (
    <main className="page inbox">
      <h1>{t(locale, "console.inbox.title")}</h1>
      <p>{t(locale, "console.inbox.intro")}</p>
      <Form method="get" className="inbox-filters" aria-label={t(locale, "console.inbox.filters")}>
        <div className="field">
          <label htmlFor="inbox-state">{t(locale, "console.inbox.filter.state")}</label>
          <select id="inbox-state" name="state" defaultValue={query.state}>
            {INBOX_STATE_FILTERS.map((state) => (
              <option key={state} value={state}>
                {t(locale, state === "open" || state === "all" ? `console.inbox.stateFilter.${state}` : `console.inbox.state.${state}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="inbox-kind">{t(locale, "console.inbox.filter.kind")}</label>
          <select id="inbox-kind" name="kind" defaultValue={query.kind ?? ""}>
            <option value="">{t(locale, "console.inbox.filter.anyKind")}</option>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(locale, `console.inbox.kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="inbox-assignee">{t(locale, "console.inbox.filter.assignee")}</label>
          <select id="inbox-assignee" name="assignee" defaultValue={query.assignee ?? ""}>
            <option value="">{t(locale, "console.inbox.filter.anyone")}</option>
            <option value="me">{t(locale, "console.inbox.filter.me")}</option>
            <option value="none">{t(locale, "console.inbox.filter.none")}</option>
            {team.map((member) => (
              <option key={member.id} value={member.id}>
                {member.email}
              </option>
            ))}
          </select>
        </div>
        <button className="button button--secondary" type="submit">
          {t(locale, "console.inbox.filter.apply")}
        </button>
      </Form>
      {items.length === 0 ? (
        <p className="console-notice">{t(locale, "console.inbox.empty")}</p>
      ) : (
        <ul className="inbox-list">
          {items.map((item) => (
            <li key={item.id} className={`inbox-row inbox-row--${item.state}`}>
              <p className="inbox-row__head">
                <a href={`/app/inbox/${item.id}`}>
                  {t(locale, `console.inbox.kind.${item.kind}`)}
                  {item.invoiceNumber ? ` · ${t(locale, "console.inbox.invoice", { number: item.invoiceNumber })}` : ""}
                </a>
                <span className="inbox-state">{t(locale, `console.inbox.state.${item.state}`)}</span>
              </p>
              <p className="inbox-row__summary">
                {item.customerName ? <strong>{item.customerName}: </strong> : null}
                <InboxSummary locale={locale} item={item} />
              </p>
              <p className="inbox-row__meta">
                <InboxWhen locale={locale} timeZone={timeZone} iso={item.openedAt} />
                {" · "}
                {t(locale, "console.inbox.assignee")}: {item.assigneeEmail ?? t(locale, "console.inbox.nobody")}
              </p>
            </li>
          ))}
        </ul>
      )}
      <p className="inbox-paging">
        {query.cursor ? <a href={`/app/inbox?${filters.toString()}`}>{t(locale, "console.inbox.first")}</a> : null}
        {nextCursor ? <a href={`/app/inbox?${filters.toString()}&cursor=${encodeURIComponent(nextCursor)}`}>{t(locale, "console.inbox.next")}</a> : null}
      </p>
    </main>
  );
}
