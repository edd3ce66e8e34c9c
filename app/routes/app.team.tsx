// The team (/app/team): everyone may see who is on it; owners invite by email with a role,
// change roles, remove people, end their sessions and require two-factor for all (security C7:
// each form's intent needs `team.manage`, else 403 with nothing written).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t, type MessageKey } from "~/i18n";
import { CONSOLE_ROLES, isConsoleRole } from "~/domain/console-roles";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute, field, type ConsoleCall } from "~/features/console/console-route.server";
import {
  changeMemberRole, endMemberSessions, inviteMember, removeMember, requireTwoFactor, teamMembers, type TeamContext, type TeamResult,
} from "~/features/console/team.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.team.title") }];

const team = (call: ConsoleCall): TeamContext => ({
  supplierId: call.supplier.id, supplierName: call.supplier.name, language: call.locale, actor: call.actor, now: call.now,
});

/** Done: back to the page (POST-redirect-GET); another supplier's user: 404; else the reason. */
function answer(result: TeamResult) {
  if (result.ok) return redirect("/app/team", { status: 303, headers: NO_STORE });
  if (result.reason === "not_found") throw new Response(null, { status: 404, headers: NO_STORE });
  return json({ error: `console.team.error.${result.reason}` as MessageKey }, 422, NO_STORE);
}

const role = (form: FormData) => {
  const value = field(form, "role");
  if (!isConsoleRole(value)) throw new Response(null, { status: 400, headers: NO_STORE });
  return value;
};

const route = consoleRoute({
  permission: "team.read",
  load: async (call) => ({
    locale: call.locale,
    manage: call.can("team.manage"),
    me: call.user.id,
    requiresTotp: call.supplier.requiresTotp,
    members: await teamMembers(call.app.db, call.supplier.id),
  }),
  intents: {
    invite: { permission: "team.manage", run: async (call, form) => answer(await inviteMember(call.app.db, call.app.config, team(call), field(form, "email"), role(form))) },
    change_role: { permission: "team.manage", run: async (call, form) => answer(await changeMemberRole(call.app.db, team(call), field(form, "user_id"), role(form))) },
    remove: { permission: "team.manage", run: async (call, form) => answer(await removeMember(call.app.db, team(call), field(form, "user_id"))) },
    end_sessions: { permission: "team.manage", run: async (call, form) => answer(await endMemberSessions(call.app.db, team(call), field(form, "user_id"))) },
    require_two_factor: { permission: "team.manage", run: async (call, form) => answer(await requireTwoFactor(call.app.db, team(call), field(form, "required") === "yes")) },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

function RoleSelect({ locale, id, value }: { locale: "sv" | "en"; id: string; value?: string }) {
  return (
    <select id={id} name="role" defaultValue={value ?? "member"}>
      {CONSOLE_ROLES.map((r) => (
        <option key={r} value={r}>
          {t(locale, `console.role.${r}`)}
        </option>
      ))}
    </select>
  );
}

export default function TeamPage() {
  const { locale, manage, me, members, requiresTotp } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <main className="page">
      <h1>{t(locale, "console.team.title")}</h1>
      {failure && "error" in failure ? <Notice tone="error">{t(locale, failure.error)}</Notice> : null}
      <table className="console-table">
        <thead>
          <tr>
            <th scope="col">{t(locale, "console.field.email")}</th>
            <th scope="col">{t(locale, "console.team.role")}</th>
            <th scope="col">{t(locale, "console.team.state")}</th>
            {manage ? <th scope="col">{t(locale, "console.team.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>{m.email}</td>
              <td>{t(locale, `console.role.${m.role}`)}</td>
              <td>{t(locale, m.hasPassword ? (m.hasTotp ? "console.team.twoFactor" : "console.team.active") : "console.team.invited")}</td>
              {manage ? (
                <td>
                  <Form method="post" reloadDocument className="console-row-form">
                    <input type="hidden" name="user_id" value={m.userId} />
                    <label htmlFor={`role-${m.userId}`} className="visually-hidden">{t(locale, "console.team.role")}</label>
                    <RoleSelect locale={locale} id={`role-${m.userId}`} value={m.role} />
                    <Submit intent="change_role" secondary>{t(locale, "console.team.changeRole")}</Submit>
                    {m.userId === me ? null : <Submit intent="end_sessions" secondary>{t(locale, "console.team.endSessions")}</Submit>}
                    <Submit intent="remove" secondary>{t(locale, "console.team.remove")}</Submit>
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {manage ? (
        <>
          <h2>{t(locale, "console.team.invite")}</h2>
          <Form method="post" reloadDocument>
            <Field name="email" type="email" label={t(locale, "console.field.email")} required />
            <div className="field">
              <label htmlFor="invite-role">{t(locale, "console.team.role")}</label>
              <RoleSelect locale={locale} id="invite-role" />
            </div>
            <Submit intent="invite">{t(locale, "console.team.inviteSubmit")}</Submit>
          </Form>
          <h2>{t(locale, "console.team.twoFactorTitle")}</h2>
          <Form method="post" reloadDocument>
            <p>{t(locale, requiresTotp ? "console.team.twoFactorOn" : "console.team.twoFactorOff")}</p>
            <input type="hidden" name="required" value={requiresTotp ? "no" : "yes"} />
            <Submit intent="require_two_factor" secondary>{t(locale, requiresTotp ? "console.team.twoFactorStop" : "console.team.twoFactorStart")}</Submit>
          </Form>
        </>
      ) : null}
    </main>
  );
}
