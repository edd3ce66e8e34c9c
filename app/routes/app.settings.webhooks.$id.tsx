// One webhook endpoint's delivery log (/app/settings/webhooks/:id): each delivery's event, state,
// attempts and last answer, fifty to a page, newest first; with settings.edit, "send again" (the
// API's replay: the same webhook-id, queued now, audited). Another supplier's ids are a 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { t } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute, field, notFound } from "~/features/console/console-route.server";
import { getWebhookEndpoint, listWebhookDeliveries, replayWebhookDelivery } from "~/features/webhooks/webhooks.server";
import { supplierSettings } from "~/features/suppliers/suppliers.server";
import { Submit } from "~/components/console/console-form";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.webhooks.log") }];

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => {
    const id = call.params.id ?? "";
    const cursor = new URL(call.request.url).searchParams.get("cursor");
    const [endpoint, page, supplier] = await Promise.all([
      getWebhookEndpoint(call.app.db, call.supplier.id, id),
      listWebhookDeliveries(call.app.db, call.supplier.id, id, new URLSearchParams(cursor ? { cursor } : {})),
      supplierSettings(call.app.db, call.supplier.id),
    ]);
    if (!endpoint || !page.ok) throw notFound();
    return { locale: call.locale, edit: call.can("settings.edit"), timeZone: supplier?.timeZone ?? "Europe/Stockholm", endpoint, deliveries: page.page };
  },
  intents: {
    replay: {
      permission: "settings.edit",
      run: async (call, form) => {
        const actor = { actor: "user" as const, actorId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null };
        const result = await replayWebhookDelivery(call.app.db, call.supplier.id, call.params.id ?? "", field(form, "delivery_id"), actor);
        if (!result.ok) throw notFound();
        return redirect(`/app/settings/webhooks/${call.params.id}`, { status: 303, headers: NO_STORE });
      },
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

export default function WebhookLogPage() {
  const { locale, edit, timeZone, endpoint, deliveries } = useLoaderData<typeof loader>();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : "–");
  return (
    <main className="page page--wide">
      <p><Link to="/app/settings/webhooks" reloadDocument>{t(locale, "console.webhooks.back")}</Link></p>
      <h1>{t(locale, "console.webhooks.log")}</h1>
      <p className="console-secret">{endpoint.url}</p>
      {deliveries.data.length === 0 ? (
        <p>{t(locale, "console.webhooks.noDeliveries")}</p>
      ) : (
        <table className="console-table">
          <caption className="visually-hidden">{t(locale, "console.webhooks.log")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(locale, "console.webhooks.event")}</th>
              <th scope="col">{t(locale, "console.webhooks.created")}</th>
              <th scope="col">{t(locale, "console.webhooks.state")}</th>
              <th scope="col">{t(locale, "console.webhooks.lastAnswer")}</th>
              {edit ? <th scope="col">{t(locale, "console.webhooks.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((delivery) => (
              <tr key={delivery.id}>
                <td>{delivery.event_type}</td>
                <td>{when(delivery.created_at)}</td>
                <td>
                  {t(locale, `console.webhooks.status.${delivery.status}`, { attempts: delivery.attempts })}
                  {delivery.status === "pending" && delivery.next_attempt_at ? ` · ${when(delivery.next_attempt_at)}` : null}
                </td>
                <td>{delivery.last_status_code ?? delivery.last_error ?? "–"}</td>
                {edit ? (
                  <td>
                    <form method="post" className="console-row-form">
                      <input type="hidden" name="delivery_id" value={delivery.id} />
                      <Submit intent="replay" secondary>{t(locale, "console.webhooks.replay")}</Submit>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deliveries.next_cursor ? (
        <nav className="console-pager" aria-label={t(locale, "console.customers.pages")}>
          <a href={`?${new URLSearchParams({ cursor: deliveries.next_cursor })}`}>{t(locale, "console.webhooks.older")}</a>
        </nav>
      ) : null}
    </main>
  );
}
