// One campaign's live report (/app/campaigns/:id): its status and counts, each customer's state
// (queued, sent, delivered, bounced, opened, confirmed, corrected, no email) a hundred to a page,
// the answers export (CSV), and (campaigns.manage) start and cancel. Another supplier's id: 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { t, type MessageKey } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute, notFound, type ConsoleCall } from "~/features/console/console-route.server";
import {
  cancelCampaignFromConsole, campaignReportPage, startCampaignFromConsole, type CampaignChangeResult,
} from "~/features/campaigns/campaign-console.server";
import { Notice, Submit } from "~/components/console/console-form";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.campaign.name} – ${t(data.locale, "console.campaigns.title")}` : "" },
];

const change = (call: ConsoleCall) => ({
  supplierId: call.supplier.id,
  campaignId: call.params.id ?? "",
  actor: { actor: "user" as const, actorId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null },
  now: call.now,
});

function answer(call: ConsoleCall, result: CampaignChangeResult) {
  if (result.ok) return redirect(`/app/campaigns/${call.params.id}`, { status: 303, headers: NO_STORE });
  if (result.status === 404) throw notFound();
  return json({ error: result.error }, 409, NO_STORE);
}

const route = consoleRoute({
  permission: "campaigns.read",
  load: async (call) => {
    const id = call.params.id ?? "";
    const after = new URL(call.request.url).searchParams.get("after") ?? undefined;
    const page = isPublicId("cmp", id)
      ? await campaignReportPage(call.app.db, { supplierId: call.supplier.id, campaignId: id, after: after && isPublicId("cus", after) ? after : undefined, now: call.now })
      : null;
    if (!page) throw notFound();
    const { recipients, ...campaign } = page.report;
    return { locale: call.locale, manage: call.can("campaigns.manage"), timeZone: page.timeZone, paged: after !== undefined, campaign, recipients };
  },
  intents: {
    start: { permission: "campaigns.manage", run: async (call) => answer(call, await startCampaignFromConsole(call.app.db, change(call))) },
    cancel: { permission: "campaigns.manage", run: async (call) => answer(call, await cancelCampaignFromConsole(call.app.db, change(call))) },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

const COUNTS = ["customers", "sent", "delivered", "bounced", "opened", "confirmed", "corrected", "no_answer"] as const;

export default function CampaignReportPage() {
  const { locale, manage, timeZone, paged, campaign, recipients } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as { error?: MessageKey } | undefined;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : "–");
  const startable = campaign.status === "draft";
  const cancellable = campaign.status !== "cancelled" && campaign.status !== "closed";
  return (
    <main className="page page--wide">
      <p><Link to="/app/campaigns" reloadDocument>{t(locale, "console.campaigns.back")}</Link></p>
      <h1>{campaign.name}</h1>
      {failure?.error ? <Notice tone="error">{t(locale, failure.error)}</Notice> : null}
      <dl className="console-facts">
        <div><dt>{t(locale, "console.campaigns.status")}</dt><dd>{t(locale, `console.campaigns.status.${campaign.status}`)}</dd></div>
        <div><dt>{t(locale, "console.campaigns.startAt")}</dt><dd>{when(campaign.started_at ?? campaign.start_at)}</dd></div>
        <div><dt>{t(locale, "console.campaigns.deadline")}</dt><dd>{when(campaign.deadline)}</dd></div>
      </dl>
      <p className="console-message">{campaign.message}</p>
      {manage && (startable || cancellable) ? (
        <form method="post" className="console-row-form">
          {startable ? <Submit intent="start">{t(locale, "console.campaigns.start")}</Submit> : null}
          {cancellable ? <Submit intent="cancel" secondary>{t(locale, "console.campaigns.cancel")}</Submit> : null}
        </form>
      ) : null}

      <h2>{t(locale, "console.campaigns.counts")}</h2>
      <dl className="console-counts">
        {COUNTS.map((name) => (
          <div key={name}><dt>{t(locale, `console.campaigns.count.${name}`)}</dt><dd>{campaign.counts[name]}</dd></div>
        ))}
      </dl>
      <p><a href={`/app/campaigns/${campaign.id}/answers.csv`} download>{t(locale, "console.campaigns.export")}</a></p>

      <h2>{t(locale, "console.campaigns.customers")}</h2>
      {recipients.data.length === 0 ? (
        <p>{t(locale, campaign.status === "draft" ? "console.campaigns.notStarted" : "console.campaigns.noRecipients")}</p>
      ) : (
        <table className="console-table">
          <caption className="visually-hidden">{t(locale, "console.campaigns.customers")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(locale, "console.customers.name")}</th>
              <th scope="col">{t(locale, "console.campaigns.state")}</th>
              <th scope="col">{t(locale, "console.campaigns.answeredAt")}</th>
              <th scope="col">{t(locale, "console.campaigns.emails")}</th>
            </tr>
          </thead>
          <tbody>
            {recipients.data.map((row) => (
              <tr key={row.customer_id}>
                <td><Link to={`/app/customers/${row.customer_id}`} reloadDocument>{row.customer_name}</Link></td>
                <td>{t(locale, `console.campaigns.state.${row.state}`)}</td>
                <td>{when(row.answered_at)}</td>
                <td>{[...new Set(row.emails.map((email) => email.to))].join(", ") || "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="console-pager" aria-label={t(locale, "console.customers.pages")}>
        {paged ? <a href="?">{t(locale, "console.customers.first")}</a> : null}
        {recipients.next_after ? <a href={`?${new URLSearchParams({ after: recipients.next_after })}`}>{t(locale, "console.customers.next")}</a> : null}
      </nav>
    </main>
  );
}
