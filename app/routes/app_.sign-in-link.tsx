// "Email me a sign-in link" (security C3): for a forgotten password or an invite that was lost.
// The answer is the same for every address; only one with an account gets an email.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t } from "~/i18n";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { requestSignInLink } from "~/features/console/sign-in-links.server";
import { publicPage, refuseCrossSite } from "~/features/console/sign-in-page.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.linkRequest.title") }];

export function loader({ request, context }: LoaderFunctionArgs) {
  return json({ locale: publicPage(request, context).locale }, 200, NO_STORE);
}

export async function action({ request, context }: ActionFunctionArgs) {
  refuseCrossSite(request, context);
  const { now, where } = publicPage(request, context);
  const form = await request.formData();
  if (form.get("intent") !== "request") throw new Response(null, { status: 400, headers: NO_STORE });
  const email = String(form.get("email") ?? "").slice(0, 254);
  await requestSignInLink(context.app.db, context.app.config, { email, actor: where, now });
  return json({ sent: true }, 200, NO_STORE);
}

export default function SignInLinkRequest() {
  const { locale } = useLoaderData<typeof loader>();
  const sent = useActionData<typeof action>();
  return (
    <main className="page page--narrow">
      <h1>{t(locale, "console.linkRequest.title")}</h1>
      {sent ? <Notice>{t(locale, "console.linkRequest.sent")}</Notice> : <p>{t(locale, "console.linkRequest.intro")}</p>}
      <Form method="post" reloadDocument>
        <Field name="email" type="email" label={t(locale, "console.field.email")} autoComplete="username" required />
        <Submit intent="request">{t(locale, "console.linkRequest.submit")}</Submit>
      </Form>
      <p>
        <a href={`/app/sign-in?lang=${locale}`}>{t(locale, "console.linkRequest.back")}</a>
      </p>
    </main>
  );
}
