// The payer's portal page for one invoice, reached by a signed link (security L1–L7): a GET
// shows it (and records a view, nothing else); a POST with an intent is one of the payer's
// actions, answered with a redirect back here (POST-redirect-GET) or the form with its errors.
import { redirect, type ActionFunctionArgs, type AppLoadContext, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useParams } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { DeadLinkBoundary, deadLinkMeta } from "~/components/dead-link";
import { FormTargetProvider, formTarget } from "~/components/invoice/form-fields";
import { InvoicePage } from "~/components/invoice/invoice-page";
import type { CheckoutMethod } from "~/domain/payment-methods";
import { t } from "~/i18n";
import { shortHash } from "~/platform/logger.server";
import { readCheckoutForm, startCardCheckout } from "~/features/payments/checkout.server";
import { isLinkRequest, requestNewLink } from "~/features/links/new-link.server";
import { formActionResponse, linkNotFound, NO_STORE, type PayerActionData } from "~/platform/forms/form-action.server";
import { isCrossSiteRequest, performPayerAction } from "~/features/portal/payer-actions.server";
import { payerPanel } from "~/features/portal/payer-panel.server";
import { loadPortalPage } from "~/features/portal/portal.server";

/**
 * The one answer to "send a new link", whatever happened behind it. Thrown, like the 404: a
 * returned answer would make Remix run this route's loader next, and a valid link would then
 * answer differently from a dead one. 202: a new link may be on its way.
 */
function linkRequested(): Response {
  return new Response(null, { status: 202, headers: NO_STORE });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const { ip, userAgent } = context.request;
  const result = await loadPortalPage(context.app.db, context.app.config, { token, request, ip, userAgent });
  if (!result.ok) {
    context.app.log.info({ tokenHash: shortHash(token), ip, reason: result.reason }, "link rejected");
    throw linkNotFound();
  }
  return { ...result.page, panel: payerPanel(result.view, result.page, request) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const { ip, userAgent } = context.request;
  if (await isLinkRequest(request)) return requestLink(token, request, context);
  const checkout = await readCheckoutForm(request);
  if (checkout) return payByCard(token, request, checkout.method, context);
  const result = await performPayerAction(context.app, { token, request, ip, userAgent });
  return formActionResponse(result, context.app.log, { tokenHash: shortHash(token), ip, request });
}

/** "Send a new link" from the 404 page (security L6): mails only the billing contacts on file. */
async function requestLink(token: string, request: Request, context: AppLoadContext): Promise<never> {
  const { ip, userAgent } = context.request;
  if (isCrossSiteRequest(request, context.app.config)) {
    context.app.log.warn({ tokenHash: shortHash(token), ip, origin: request.headers.get("origin") }, "cross-site POST refused");
    throw new Response(null, { status: 403, headers: NO_STORE });
  }
  const outcome = await requestNewLink(context.app.db, context.app.config, token, { ip, userAgent });
  const detail = outcome.ok
    ? { invoiceId: outcome.invoiceId, linkState: outcome.linkState, recipients: outcome.recipients, queued: outcome.queued }
    : { reason: outcome.reason };
  context.app.log.info({ tokenHash: shortHash(token), ip, ...detail }, "new link requested");
  throw linkRequested();
}

/** "Pay by card": off to the provider's hosted page, or the reason why not in the payment form. */
async function payByCard(token: string, request: Request, method: CheckoutMethod | null, context: AppLoadContext) {
  if (method === null) throw new Response(null, { status: 400, headers: NO_STORE });
  const outcome = await startCardCheckout(context.app, { token, request, method });
  switch (outcome.kind) {
    case "redirect":
      return redirect(outcome.url, { status: 303, headers: NO_STORE });
    case "refused": {
      const data: PayerActionData = { form: "pay", errors: {}, formError: outcome.messageKey, values: { method } };
      return json(data, outcome.status, NO_STORE);
    }
    case "forbidden":
      context.app.log.warn({ tokenHash: shortHash(token), ip: context.request.ip, origin: request.headers.get("origin") }, "cross-site POST refused");
      throw new Response(null, { status: 403, headers: NO_STORE });
    case "not_found":
      context.app.log.info({ tokenHash: shortHash(token), ip: context.request.ip }, "link rejected on POST");
      throw linkNotFound();
  }
}

export const headers: HeadersFunction = () => NO_STORE;

// The page and its forms work without JavaScript, so none is sent: faster on a phone, and the
// loader's data is not serialised a second time for hydration.
export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) => {
  const tags = [{ name: "referrer", content: "no-referrer" }];
  if (!data) return deadLinkMeta(error, matches.find((match) => match.id === "root")?.data);
  const { locale, invoice, supplier } = data;
  return [
    { title: t(locale, "portal.meta.title", { number: invoice.number, supplier: supplier.name }) },
    ...tags,
    ...(supplier.brandColor ? [{ name: "theme-color", content: supplier.brandColor }] : []),
  ];
};

/**
 * The route's own boundary (same page as the root's) so that the 404 also carries this route's
 * headers and meta: no-store and no-referrer. The 404 offers "send a new link", the same form
 * for every kind of dead link; 202 is that form's answer.
 */
export function ErrorBoundary() {
  return <DeadLinkBoundary />;
}

export default function InvoiceRoute() {
  const { panel, ...page } = useLoaderData<typeof loader>();
  const actionData = useActionData() as PayerActionData | undefined;
  // The QR images sit under the page's own path, so the token never goes into a query string.
  const base = `/i/${encodeURIComponent(useParams().token ?? "")}`;
  const qrBase = `${base}/qr`;
  // So is the invoice copy; ?lang= keeps the PDF in the language the page is shown in.
  const pdfHref = `${base}/invoice.pdf?lang=${page.locale}`;
  const calendarHref = `${base}/due-date.ics?lang=${page.locale}`;
  // The forms post back to this page without an earlier action's ?done= notice.
  const location = useLocation();
  return (
    <FormTargetProvider value={formTarget(location.search)}>
      <InvoicePage page={page} panel={panel} actionData={actionData} qrBase={qrBase} pdfHref={pdfHref} calendarHref={calendarHref} receiptBase={`${base}/receipts`} />
    </FormTargetProvider>
  );
}
