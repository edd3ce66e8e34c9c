// Webhook endpoints (/app/settings/webhooks): owners and admins see them; with settings.edit they
// add one (its signing secret is shown once, in the answer to that POST), turn one off or on, and
// remove one. The API's own use cases (features/webhooks), audited with the user; another
// supplier's endpoint id is a 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t } from "~/i18n";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute, field, notFound, type ConsoleCall } from "~/features/console/console-route.server";
import { listWebhookEndpoints, removeWebhookEndpoint, updateWebhookEndpoint, urlRules } from "~/features/webhooks/webhooks.server";
import { createEndpointFromForm, type EndpointFormRefusal } from "~/features/webhooks/webhook-console.server";
import { Field, Submit } from "~/components/console/console-form";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.webhooks.title") }];

const PATH = "/app/settings/webhooks";
const actor = (call: ConsoleCall) => ({ actor: "user" as const, actorId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null });
const done = () => redirect(PATH, { status: 303, headers: NO_STORE });

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => ({
    locale: call.locale,
    edit: call.can("settings.edit"),
    endpoints: await listWebhookEndpoints(call.app.db, call.supplier.id),
  }),
  intents: {
    create: {
      permission: "settings.edit",
      run: async (call, form) => {
        const result = await createEndpointFromForm(call.app.db, call.app.config, {
          supplierId: call.supplier.id, actor: actor(call), url: field(form, "url"), eventTypes: field(form, "event_types"),
        });
        if (result.ok) return json({ created: { id: result.id, secret: result.secret } }, 200, NO_STORE);
        if (!result.refusal) throw notFound();
        return json(result.refusal, 422, NO_STORE);
      },
    },
    enable: {
      permission: "settings.edit",
      run: async (call, form) => {
        const enabled = field(form, "enabled") === "yes";
        const result = await updateWebhookEndpoint(call.app.db, urlRules(call.app.config), call.supplier.id, field(form, "endpoint_id"), { enabled }, actor(call));
        if (!result.ok) throw notFound();
        return done();
      },
    },
    remove: {
      permission: "settings.edit",
      run: async (call, form) => {
        if (!(await removeWebhookEndpoint(call.app.db, call.supplier.id, field(form, "endpoint_id"), actor(call)))) throw notFound();
        return done();
      },
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

export default function WebhooksPage() {
  const { locale, edit, endpoints } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ({ created?: { id: string; secret: string } } & Partial<EndpointFormRefusal>) | undefined;
  const error = (name: "url" | "event_types") => (answer?.errors?.[name] ? t(locale, answer.errors[name]!) : null);
  return (
    <main className="page page--wide">
      <h1>{t(locale, "console.webhooks.title")}</h1>
      {answer?.created ? (
        <section className="console-card" aria-labelledby="secret-heading">
          <h2 id="secret-heading">{t(locale, "console.webhooks.secretTitle")}</h2>
          <p>{t(locale, "console.webhooks.secretLead")}</p>
          <p><code className="console-secret">{answer.created.secret}</code></p>
        </section>
      ) : null}
      {endpoints.length === 0 ? (
        <p>{t(locale, "console.webhooks.none")}</p>
      ) : (
        <ul className="console-cards">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id} className="console-card">
              <h2 className="console-card__title"><Link to={`${PATH}/${endpoint.id}`} reloadDocument>{endpoint.url}</Link></h2>
              <p>
                {t(locale, endpoint.enabled ? "console.webhooks.on" : "console.webhooks.off")} ·{" "}
                {endpoint.event_types ? endpoint.event_types.join(", ") : t(locale, "console.webhooks.allTypes")}
              </p>
              {edit ? (
                <form method="post" className="console-row-form">
                  <input type="hidden" name="endpoint_id" value={endpoint.id} />
                  <input type="hidden" name="enabled" value={endpoint.enabled ? "no" : "yes"} />
                  <Submit intent="enable" secondary>{t(locale, endpoint.enabled ? "console.webhooks.turnOff" : "console.webhooks.turnOn")}</Submit>
                  <Submit intent="remove" secondary>{t(locale, "console.webhooks.remove")}</Submit>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {edit ? (
        <section aria-labelledby="add-endpoint-heading">
          <h2 id="add-endpoint-heading">{t(locale, "console.webhooks.add")}</h2>
          <Form method="post" reloadDocument>
            <Field name="url" type="url" label={t(locale, "console.webhooks.url")} hint={t(locale, "console.webhooks.urlHint")} required error={error("url")} defaultValue={answer?.values?.url} />
            <Field name="event_types" label={t(locale, "console.webhooks.eventTypes")} hint={t(locale, "console.webhooks.eventTypesHint")} error={error("event_types")} defaultValue={answer?.values?.event_types} />
            <Submit intent="create">{t(locale, "console.webhooks.addSubmit")}</Submit>
          </Form>
        </section>
      ) : null}
    </main>
  );
}
