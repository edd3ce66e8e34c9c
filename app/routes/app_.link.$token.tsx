// A one-time sign-in link's page (security C3): the GET only shows a button (a mail scanner's
// fetch spends nothing); the POST spends the link and signs in. An invited user without a
// password goes on to set one.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t } from "~/i18n";
import { Notice, Submit } from "~/components/console/console-form";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { peekSignInLink, spendSignInLink } from "~/features/console/sign-in-links.server";
import { publicPage, refuseCrossSite, withSession } from "~/features/console/sign-in-page.server";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.link.title") }];

// The address bar holds a bearer token: no referrer leaves this page.
const HEADERS = { ...NO_STORE, "Referrer-Policy": "no-referrer" };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { locale, now } = publicPage(request, context);
  const link = await peekSignInLink(context.app.db, params.token ?? "", now);
  return json({ locale, link: link ? { purpose: link.purpose, email: link.email } : null }, link ? 200 : 404, HEADERS);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  refuseCrossSite(request, context);
  const { locale, now, where } = publicPage(request, context);
  const used = await spendSignInLink(context.app.db, params.token ?? "", where, now);
  if (!used.ok) return json({ locale, link: null }, 404, HEADERS);
  const to = used.stage === "totp" ? "/app/sign-in" : used.needsPassword ? "/app/account?password=new#password" : "/app";
  return withSession(context.app.config, used.sessionToken, to);
}

export default function SignInLinkPage() {
  const { locale, link } = useLoaderData<typeof loader>();
  return (
    <main className="page page--narrow">
      <h1>{t(locale, "console.link.title")}</h1>
      {link ? (
        <>
          <p>{t(locale, link.purpose === "invite" ? "console.link.invite" : "console.link.signIn", { email: link.email })}</p>
          <Form method="post" reloadDocument>
            <Submit intent="use">{t(locale, "console.link.submit")}</Submit>
          </Form>
        </>
      ) : (
        <>
          <Notice tone="error">{t(locale, "console.link.dead")}</Notice>
          <p>
            <a href={`/app/sign-in-link?lang=${locale}`}>{t(locale, "console.signIn.forgot")}</a>
          </p>
        </>
      )}
    </main>
  );
}
