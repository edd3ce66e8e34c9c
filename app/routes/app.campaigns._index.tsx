// The contact-update campaigns (/app/campaigns): newest first with their status and answers so
// far, and (campaigns.manage) the form that creates a draft with the API's own rules. Nothing is
// sent until the campaign is started on its own page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute, field } from "~/features/console/console-route.server";
import { campaignList, createCampaignFromForm, type CampaignFormRefusal } from "~/features/campaigns/campaign-console.server";
import { Field } from "~/components/console/console-form";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.campaigns.title") }];

const route = consoleRoute({
  permission: "campaigns.read",
  load: async (call) => {
    const cursor = new URL(call.request.url).searchParams.get("cursor") ?? undefined;
    const page = await campaignList(call.app.db, { supplierId: call.supplier.id, cursor, now: call.now });
    return {
      timeZone: page.timeZone,
      locale: call.locale,
      manage: call.can("campaigns.manage"),
      paged: cursor !== undefined,
      nextCursor: page.next_cursor,
      campaigns: page.data.map((c) => ({ id: c.id, name: c.name, status: c.status, deadline: c.deadline, counts: c.counts })),
    };
  },
  intents: {
    create: {
      permission: "campaigns.manage",
      run: async (call, form) => {
        const actor = { actor: "user" as const, actorId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null };
        const result = await createCampaignFromForm(call.app.db, { supplierId: call.supplier.id, actor, form: (name) => field(form, name), now: call.now });
        if (result.ok) return redirect(`/app/campaigns/${result.id}`, { status: 303, headers: NO_STORE });
        return json(result.refusal, 422, NO_STORE);
      },
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

function CreateForm({ locale, refusal }: { locale: "sv" | "en"; refusal?: CampaignFormRefusal }) {
  const error = (name: keyof CampaignFormRefusal["errors"]) => {
    const key = refusal?.errors[name];
    return key ? t(locale, key) : null;
  };
  const value = (name: keyof CampaignFormRefusal["values"]) => refusal?.values[name];
  return (
    <Form method="post" reloadDocument id="create-campaign" aria-describedby={refusal ? "create-alert" : undefined}>
      {refusal ? (
        <p id="create-alert" className="console-notice console-notice--error" role="alert">{t(locale, "actions.errorSummary")}</p>
      ) : null}
      <Field name="name" label={t(locale, "console.campaigns.name")} required error={error("name")} defaultValue={value("name")} />
      <div className="field">
        <label htmlFor="field-message">{t(locale, "console.campaigns.message")}</label>
        <span className="field-hint" id="field-message-hint">{t(locale, "console.campaigns.messageHint")}</span>
        <textarea
          id="field-message"
          name="message"
          rows={5}
          required
          maxLength={5000}
          defaultValue={value("message")}
          aria-invalid={error("message") ? true : undefined}
          aria-describedby={["field-message-hint", error("message") ? "field-message-error" : ""].join(" ").trim()}
        />
        {error("message") ? <span className="field-error" id="field-message-error">{error("message")}</span> : null}
      </div>
      <div className="field">
        <label htmlFor="field-audience">{t(locale, "console.campaigns.audience")}</label>
        <select
          id="field-audience"
          name="audience"
          defaultValue={value("audience") ?? "all"}
          aria-invalid={error("audience") ? true : undefined}
          aria-describedby={error("audience") ? "field-audience-error" : undefined}
        >
          <option value="all">{t(locale, "console.campaigns.audience.all")}</option>
          <option value="open_invoices">{t(locale, "console.campaigns.audience.open_invoices")}</option>
          <option value="stale">{t(locale, "console.campaigns.audience.stale")}</option>
        </select>
        {error("audience") ? <span className="field-error" id="field-audience-error">{error("audience")}</span> : null}
      </div>
      <Field
        name="stale_months"
        label={t(locale, "console.campaigns.staleMonths")}
        hint={t(locale, "console.campaigns.staleMonthsHint")}
        inputMode="numeric"
        error={error("stale_months")}
        defaultValue={value("stale_months") ?? "12"}
      />
      <Field name="start_at" type="date" label={t(locale, "console.campaigns.startAt")} hint={t(locale, "console.campaigns.startAtHint")} error={error("start_at")} defaultValue={value("start_at")} />
      <Field name="deadline" type="date" label={t(locale, "console.campaigns.deadline")} hint={t(locale, "console.campaigns.deadlineHint")} required error={error("deadline")} defaultValue={value("deadline")} />
      <button className="button" type="submit" name="intent" value="create">{t(locale, "console.campaigns.create")}</button>
    </Form>
  );
}

export default function CampaignsPage() {
  const { locale, timeZone, manage, campaigns, paged, nextCursor } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>() as CampaignFormRefusal | undefined;
  return (
    <main className="page page--wide">
      <h1>{t(locale, "console.campaigns.title")}</h1>
      {campaigns.length === 0 ? (
        <p>{t(locale, "console.campaigns.none")}</p>
      ) : (
        <table className="console-table">
          <caption className="visually-hidden">{t(locale, "console.campaigns.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(locale, "console.campaigns.name")}</th>
              <th scope="col">{t(locale, "console.campaigns.status")}</th>
              <th scope="col">{t(locale, "console.campaigns.deadline")}</th>
              <th scope="col">{t(locale, "console.campaigns.answered")}</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((campaign) => (
              <tr key={campaign.id}>
                <td><Link to={`/app/campaigns/${campaign.id}`} reloadDocument>{campaign.name}</Link></td>
                <td>{t(locale, `console.campaigns.status.${campaign.status}`)}</td>
                <td>{formatDateTime(campaign.deadline, locale, timeZone)}</td>
                <td>
                  {t(locale, "console.campaigns.answeredOf", {
                    answered: campaign.counts.confirmed + campaign.counts.corrected,
                    customers: campaign.counts.customers,
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="console-pager" aria-label={t(locale, "console.customers.pages")}>
        {paged ? <a href="?">{t(locale, "console.customers.first")}</a> : null}
        {nextCursor ? <a href={`?${new URLSearchParams({ cursor: nextCursor })}`}>{t(locale, "console.customers.next")}</a> : null}
      </nav>
      {manage ? (
        <section aria-labelledby="create-heading">
          <h2 id="create-heading">{t(locale, "console.campaigns.new")}</h2>
          <p>{t(locale, "console.campaigns.newLead")}</p>
          <CreateForm locale={locale} refusal={refusal && "errors" in refusal ? refusal : undefined} />
        </section>
      ) : null}
    </main>
  );
}
