// A contact-update campaign's page for one customer, reached by a signed customer-level link
// (security L1–L5, like the invoice page): a GET shows the contacts and details on file (and
// records a view, nothing else); a POST with an intent is the customer's answer, followed by a
// redirect back here (POST-redirect-GET) or the form with its errors.
import { redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { CampaignPageView } from "~/components/campaign/campaign-page";
import { DeadLinkBoundary, deadLinkMeta } from "~/components/dead-link";
import { t } from "~/i18n";
import { shortHash } from "~/logger.server";
import { performCampaignAction } from "~/services/campaign-actions.server";
import { loadCampaignPage } from "~/services/campaign-page.server";
import type { PayerActionData } from "~/services/form-action.server";

// The page holds a customer's details behind a bearer link: no shared cache may keep it.
const NO_STORE = { "Cache-Control": "private, no-store" };

/** Every failure looks the same to the visitor (and as the invoice page's): which check failed is only in our log. */
function linkNotFound(): Response {
  return new Response(null, { status: 404, headers: NO_STORE });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const { ip, userAgent } = context.request;
  const result = await loadCampaignPage(context.app.db, context.app.config, { token, request, ip, userAgent });
  if (!result.ok) {
    context.app.log.info({ tokenHash: shortHash(token), ip, reason: result.reason }, "campaign link rejected");
    throw linkNotFound();
  }
  return result.page;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const { ip, userAgent } = context.request;
  const result = await performCampaignAction(context.app, { token, request, ip, userAgent });
  switch (result.kind) {
    case "done":
      // 303: the browser follows with a GET, so a reload shows the page instead of posting again.
      return redirect(result.location, { status: 303, headers: NO_STORE });
    case "refused":
      return json(result.data, result.status, NO_STORE);
    case "bad_request":
      throw new Response(null, { status: 400, headers: NO_STORE });
    case "forbidden":
      context.app.log.warn({ tokenHash: shortHash(token), ip, origin: request.headers.get("origin") }, "cross-site POST refused");
      throw new Response(null, { status: 403, headers: NO_STORE });
    case "not_found":
      context.app.log.info({ tokenHash: shortHash(token), ip }, "campaign link rejected on POST");
      throw linkNotFound();
  }
}

export const headers: HeadersFunction = () => NO_STORE;

// Every form works without JavaScript, so none is sent.
export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) => {
  if (!data) return deadLinkMeta(error, matches.find((match) => match.id === "root")?.data);
  const { locale, supplier } = data;
  return [
    { title: t(locale, "campaign.meta.title", { supplier: supplier.name }) },
    { name: "referrer", content: "no-referrer" },
    ...(supplier.brandColor ? [{ name: "theme-color", content: supplier.brandColor }] : []),
  ];
};

/** The same 404 page as every dead link, without "send a new link": a campaign link is not renewable by a visitor. */
export function ErrorBoundary() {
  return <DeadLinkBoundary renewable={false} />;
}

export default function CampaignRoute() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData() as PayerActionData | undefined;
  return <CampaignPageView page={page} actionData={actionData} />;
}
