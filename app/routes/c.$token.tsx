// A contact-update campaign's page for one customer, reached by a signed customer-level link
// (security L1–L5, like the invoice page): a GET shows the contacts and details on file (and
// records a view, nothing else); a POST with an intent is the customer's answer, followed by a
// redirect back here (POST-redirect-GET) or the form with its errors.
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { CampaignPageView } from "~/components/campaign/campaign-page";
import { DeadLinkBoundary, deadLinkMeta } from "~/components/dead-link";
import { FormTargetProvider, formTarget } from "~/components/invoice/form-fields";
import { t } from "~/i18n";
import { shortHash } from "~/platform/logger.server";
import { performCampaignAction } from "~/features/campaigns/campaign-actions.server";
import { loadCampaignPage } from "~/features/campaigns/campaign-page.server";
import { formActionResponse, linkNotFound, NO_STORE, type PayerActionData } from "~/platform/forms/form-action.server";

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
  return formActionResponse(result, context.app.log, { tokenHash: shortHash(token), ip, request });
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
  // The forms post back to this page without an earlier action's ?done= notice.
  const location = useLocation();
  return (
    <FormTargetProvider value={formTarget(location.search)}>
      <CampaignPageView page={page} actionData={actionData} />
    </FormTargetProvider>
  );
}
