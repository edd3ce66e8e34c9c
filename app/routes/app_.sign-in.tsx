// Console sign-in (security C2, C4, C5): email and password, then the TOTP code when the user
// has two-factor on. A refusal is one answer (401, the same page) for an unknown email, a wrong
// password and a locked account; the shared limiter counts 401s per IP (server/rate-limit.ts).
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t } from "~/i18n";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { shortHash } from "~/platform/logger.server";
import { completeSecondFactor, signInWithPassword } from "~/features/console/sign-in.server";
import { safeNext } from "~/features/console/console-route.server";
import { currentSession, publicPage, refuseCrossSite, withSession } from "~/features/console/sign-in-page.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.signIn.title") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale, now } = publicPage(request, context);
  const session = await currentSession(request, context, now);
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (session?.stage === "full") throw redirect(next, { headers: NO_STORE });
  return json({ locale, step: session?.stage === "totp" ? "totp" : "password", next }, 200, NO_STORE);
}

export async function action({ request, context }: ActionFunctionArgs) {
  refuseCrossSite(request, context);
  const page = publicPage(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  const next = safeNext(form.get("next"));
  const text = (name: string) => String(form.get(name) ?? "");
  if (intent === "password") {
    const outcome = await signInWithPassword(context.app.db, { email: text("email"), password: text("password"), where: page.where, now: page.now });
    if (outcome.kind === "refused") {
      // Unknown addresses have no supplier's audit log to go on: the log keeps a hash, never the address or password.
      context.app.log.info({ ip: page.where.ip, emailHash: shortHash(text("email").trim().toLowerCase()) }, "console sign-in refused");
      return json({ error: "console.signIn.refused" as const }, 401, NO_STORE);
    }
    return withSession(context.app.config, outcome.sessionToken, outcome.kind === "totp" ? `/app/sign-in?next=${encodeURIComponent(next)}` : next);
  }
  if (intent === "totp") {
    const pending = await currentSession(request, context, page.now);
    if (!pending || pending.stage !== "totp") return json({ error: "console.signIn.expired" as const }, 401, NO_STORE);
    const outcome = await completeSecondFactor(context.app.db, context.app.config, { pending, code: text("code"), where: page.where, now: page.now });
    if (outcome.kind !== "signed_in") return json({ error: "console.signIn.badCode" as const }, 401, NO_STORE);
    return withSession(context.app.config, outcome.sessionToken, next);
  }
  throw new Response(null, { status: 400, headers: NO_STORE });
}

export default function SignIn() {
  const { locale, step, next } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <main className="page page--narrow">
      <h1>{t(locale, step === "totp" ? "console.signIn.totpTitle" : "console.signIn.title")}</h1>
      {failure ? <Notice tone="error">{t(locale, failure.error)}</Notice> : null}
      <Form method="post" reloadDocument>
        <input type="hidden" name="next" value={next} />
        {step === "password" ? (
          <>
            <Field name="email" type="email" label={t(locale, "console.field.email")} autoComplete="username" required />
            <Field name="password" type="password" label={t(locale, "console.field.password")} autoComplete="current-password" required />
            <Submit intent="password">{t(locale, "console.signIn.submit")}</Submit>
          </>
        ) : (
          <>
            <Field name="code" label={t(locale, "console.field.code")} hint={t(locale, "console.signIn.codeHint")} autoComplete="one-time-code" inputMode="text" required />
            <Submit intent="totp">{t(locale, "console.signIn.verify")}</Submit>
          </>
        )}
      </Form>
      <p>
        <Link to={`/app/sign-in-link?lang=${locale}`}>{t(locale, "console.signIn.forgot")}</Link>
      </p>
      <p lang={locale === "sv" ? "en" : "sv"}>
        <a href={`?lang=${locale === "sv" ? "en" : "sv"}`}>{locale === "sv" ? "English" : "Svenska"}</a>
      </p>
    </main>
  );
}
