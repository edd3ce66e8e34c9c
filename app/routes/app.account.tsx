// One's own account (/app/account): set a password (an invited user lands here), two-factor on
// (QR code, then a code from the app, then the recovery codes shown once) or off, the sessions
// that are signed in (each can be ended), and the console's language.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t, isLocale } from "~/i18n";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { sessionCookie } from "~/platform/sessions/session-cookie";
import { consoleRoute, field, type ConsoleCall } from "~/features/console/console-route.server";
import { endOwnSession, ownSessions, setLanguage, setPassword, turnOffTotp, turnOnTotp, type AccountContext } from "~/features/console/account.server";
import { newTotpEnrolment } from "~/features/console/totp.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.account.title") }];

const account = (call: ConsoleCall): AccountContext => ({ user: call.user, session: call.session, actor: call.actor, now: call.now });
const back = (headers: Record<string, string> = {}) => redirect("/app/account", { status: 303, headers: { ...NO_STORE, ...headers } });
const refused = (error: "password" | "code", problem?: string) => json({ error, problem: problem ?? null, recoveryCodes: null }, 422, NO_STORE);

const route = consoleRoute({
  permission: "console.use",
  allowWithoutTotp: true,
  load: async (call) => {
    const params = new URL(call.request.url).searchParams;
    return {
      locale: call.locale,
      hasPassword: call.user.passwordHash !== null,
      newPassword: params.get("password") === "new",
      twoFactorRequired: params.get("two-factor") === "required" && call.supplier.requiresTotp,
      totpOn: call.user.totpSecret !== null,
      enrolment: call.user.totpSecret === null ? await newTotpEnrolment(call.user.email) : null,
      sessions: await ownSessions(call.app.db, call),
    };
  },
  intents: {
    password: {
      permission: "console.use",
      run: async (call, form) => {
        const result = await setPassword(call.app.db, account(call), field(form, "password"));
        return result.ok ? back({ "Set-Cookie": sessionCookie(call.app.config, result.sessionToken) }) : refused("password", result.problem);
      },
    },
    totp_on: {
      permission: "console.use",
      run: async (call, form) => {
        const result = await turnOnTotp(call.app.db, call.app.config, account(call), field(form, "secret"), field(form, "code"));
        if (!result.ok) return refused("code");
        const headers = { ...NO_STORE, "Set-Cookie": sessionCookie(call.app.config, result.sessionToken) };
        return json({ error: null, problem: null, recoveryCodes: result.recoveryCodes }, 200, headers);
      },
    },
    totp_off: {
      permission: "console.use",
      run: async (call, form) => ((await turnOffTotp(call.app.db, call.app.config, account(call), field(form, "code"))).ok ? back() : refused("code")),
    },
    end_session: {
      permission: "console.use",
      run: async (call, form) => {
        if (!(await endOwnSession(call.app.db, account(call), field(form, "session_id"))).ok) throw new Response(null, { status: 404, headers: NO_STORE });
        return back();
      },
    },
    language: {
      permission: "console.use",
      run: async (call, form) => {
        const language = field(form, "language");
        if (!isLocale(language)) throw new Response(null, { status: 400, headers: NO_STORE });
        await setLanguage(call.app.db, account(call), language);
        return back();
      },
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

export default function AccountPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { locale } = data;
  const problem = result?.error === "password" && result.problem ? t(locale, `console.password.${result.problem as "too_short" | "too_long" | "common"}`) : null;
  return (
    <main className="page">
      <h1>{t(locale, "console.account.title")}</h1>
      {data.twoFactorRequired ? <Notice tone="error">{t(locale, "console.account.twoFactorRequired")}</Notice> : null}

      <h2 id="password">{t(locale, data.hasPassword ? "console.account.changePassword" : "console.account.setPassword")}</h2>
      {data.newPassword && !data.hasPassword ? <Notice>{t(locale, "console.account.welcome")}</Notice> : null}
      <Form method="post" reloadDocument>
        <Field name="password" type="password" autoComplete="new-password" required label={t(locale, "console.field.newPassword")} hint={t(locale, "console.password.hint")} error={problem} />
        <Submit intent="password">{t(locale, "console.account.savePassword")}</Submit>
      </Form>

      <h2>{t(locale, "console.account.twoFactor")}</h2>
      {result?.recoveryCodes ? (
        <>
          <Notice>{t(locale, "console.account.recoveryCodes")}</Notice>
          <ul className="console-codes">{result.recoveryCodes.map((code: string) => <li key={code}>{code}</li>)}</ul>
        </>
      ) : null}
      {result?.error === "code" ? <Notice tone="error">{t(locale, "console.signIn.badCode")}</Notice> : null}
      {data.totpOn ? (
        <Form method="post" reloadDocument>
          <p>{t(locale, "console.account.twoFactorOn")}</p>
          <Field name="code" autoComplete="one-time-code" required label={t(locale, "console.field.code")} />
          <Submit intent="totp_off" secondary>{t(locale, "console.account.turnOff")}</Submit>
        </Form>
      ) : data.enrolment ? (
        <Form method="post" reloadDocument>
          <p>{t(locale, "console.account.scan")}</p>
          <div className="console-qr" role="img" aria-label={t(locale, "console.account.qr")} dangerouslySetInnerHTML={{ __html: data.enrolment.qrSvg }} />
          <p>
            {t(locale, "console.account.secret")} <code>{data.enrolment.secret}</code>
          </p>
          <input type="hidden" name="secret" value={data.enrolment.secret} />
          <Field name="code" autoComplete="one-time-code" inputMode="numeric" required label={t(locale, "console.field.code")} />
          <Submit intent="totp_on">{t(locale, "console.account.turnOn")}</Submit>
        </Form>
      ) : null}

      <h2>{t(locale, "console.account.sessions")}</h2>
      <ul>
        {data.sessions.map((s) => (
          <li key={s.id}>
            <Form method="post" reloadDocument className="console-row-form">
              <span>
                {s.userAgent ?? "?"} · {s.ip ?? "?"} · {new Date(s.lastSeenAt).toLocaleString(locale === "sv" ? "sv-SE" : "en-GB", { timeZone: "Europe/Stockholm" })}
                {s.current ? ` (${t(locale, "console.account.thisSession")})` : ""}
              </span>
              <input type="hidden" name="session_id" value={s.id} />
              <Submit intent="end_session" secondary>{t(locale, "console.account.endSession")}</Submit>
            </Form>
          </li>
        ))}
      </ul>

      <h2>{t(locale, "console.account.language")}</h2>
      <Form method="post" reloadDocument className="console-row-form">
        <input type="hidden" name="language" value={locale === "sv" ? "en" : "sv"} />
        <Submit intent="language" secondary>{locale === "sv" ? "Use English" : "Använd svenska"}</Submit>
      </Form>
    </main>
  );
}
