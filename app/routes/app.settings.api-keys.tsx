// The supplier's API keys (/app/settings/api-keys): owners and admins see them (name, prefix,
// created, last used, revoked); an owner (keys.manage) creates one — the key is shown once, on the
// answer to that POST, never stored in plain — and revokes one. Both are the operator CLI's use
// cases (features/suppliers), audited with the user; another supplier's key id is a 404.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute, field, type ConsoleCall } from "~/features/console/console-route.server";
import { createSupplierApiKey, revokeSupplierApiKey, supplierApiKeys, supplierSettings } from "~/features/suppliers/suppliers.server";
import { Field, Notice, Submit } from "~/components/console/console-form";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.apiKeys.title") }];

const actor = (call: ConsoleCall) => ({ actor: "user" as const, actorId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null });

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => {
    const [keys, supplier] = await Promise.all([supplierApiKeys(call.app.db, call.supplier.id), supplierSettings(call.app.db, call.supplier.id)]);
    const iso = (value: Date | null) => value?.toISOString() ?? null;
    return {
      locale: call.locale,
      manage: call.can("keys.manage"),
      timeZone: supplier?.timeZone ?? "Europe/Stockholm",
      keys: keys.map((key) => ({ ...key, createdAt: key.createdAt.toISOString(), lastUsedAt: iso(key.lastUsedAt), revokedAt: iso(key.revokedAt) })),
    };
  },
  intents: {
    create: {
      permission: "keys.manage",
      run: async (call, form) => {
        const result = await createSupplierApiKey(call.app.db, call.supplier.id, field(form, "name"), actor(call));
        if (result.ok) return json({ created: { key: result.apiKey.key, prefix: result.apiKey.prefix } }, 200, NO_STORE);
        if (result.reason === "not_found") throw new Response(null, { status: 404, headers: NO_STORE });
        return json({ error: "console.apiKeys.error.name" }, 422, NO_STORE);
      },
    },
    revoke: {
      permission: "keys.manage",
      run: async (call, form) => {
        const keyId = field(form, "key_id");
        // Only an exact key id of this supplier: a prefix is the CLI's convenience, not the page's.
        const result = keyId.startsWith("key_") ? await revokeSupplierApiKey(call.app.db, keyId, actor(call), { supplierId: call.supplier.id }) : null;
        if (!result?.ok) throw new Response(null, { status: 404, headers: NO_STORE });
        return redirect("/app/settings/api-keys", { status: 303, headers: NO_STORE });
      },
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

export default function ApiKeysPage() {
  const { locale, manage, timeZone, keys } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as { created?: { key: string; prefix: string }; error?: "console.apiKeys.error.name" } | undefined;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : "–");
  return (
    <main className="page page--wide">
      <h1>{t(locale, "console.apiKeys.title")}</h1>
      {answer?.created ? (
        <section className="console-card" aria-labelledby="new-key-heading">
          <h2 id="new-key-heading">{t(locale, "console.apiKeys.createdTitle")}</h2>
          <p>{t(locale, "console.apiKeys.createdLead")}</p>
          <p><code className="console-secret">{answer.created.key}</code></p>
        </section>
      ) : null}
      {keys.length === 0 ? (
        <p>{t(locale, "console.apiKeys.none")}</p>
      ) : (
        <table className="console-table">
          <caption className="visually-hidden">{t(locale, "console.apiKeys.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(locale, "console.apiKeys.name")}</th>
              <th scope="col">{t(locale, "console.apiKeys.prefix")}</th>
              <th scope="col">{t(locale, "console.apiKeys.created")}</th>
              <th scope="col">{t(locale, "console.apiKeys.lastUsed")}</th>
              <th scope="col">{t(locale, "console.apiKeys.state")}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td><code>{key.prefix}…</code></td>
                <td>{when(key.createdAt)}</td>
                <td>{when(key.lastUsedAt)}</td>
                <td>
                  {key.revokedAt ? (
                    t(locale, "console.apiKeys.revokedOn", { date: when(key.revokedAt) })
                  ) : manage ? (
                    <form method="post" className="console-row-form">
                      <input type="hidden" name="key_id" value={key.id} />
                      <button className="button button--secondary" type="submit" name="intent" value="revoke">
                        {t(locale, "console.apiKeys.revoke")}
                        <span className="visually-hidden">: {key.name} ({key.prefix})</span>
                      </button>
                    </form>
                  ) : (
                    t(locale, "console.apiKeys.active")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage ? (
        <section aria-labelledby="create-key-heading">
          <h2 id="create-key-heading">{t(locale, "console.apiKeys.create")}</h2>
          <Form method="post" reloadDocument>
            {answer?.error ? <Notice tone="error">{t(locale, answer.error)}</Notice> : null}
            <Field name="name" label={t(locale, "console.apiKeys.name")} hint={t(locale, "console.apiKeys.nameHint")} required error={answer?.error ? t(locale, answer.error) : null} />
            <Submit intent="create">{t(locale, "console.apiKeys.createSubmit")}</Submit>
          </Form>
        </section>
      ) : null}
    </main>
  );
}
