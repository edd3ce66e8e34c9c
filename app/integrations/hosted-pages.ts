// Where the payer's "pay by card" form leads: the providers' hosted payment pages (security P7).
// The portal's CSP form-action must allow them, since browsers check the redirect after the POST.
import type { Config } from "~/platform/config.server";

const PROVIDER_PAGES = [
  "https://checkout.stripe.com",
  // Adyen's hosted checkout and Pay by Link, test and live, in every region.
  "https://*.adyen.com",
  "https://*.adyen.link",
];

/** The providers' page origins, plus the local fakes' when the SDKs are pointed at them. */
export function hostedPaymentPageOrigins(config: Pick<Config, "providerApiUrls">): string[] {
  const fakes = [config.providerApiUrls.stripe, config.providerApiUrls.adyen].flatMap((url) => (url ? [url.origin] : []));
  return [...PROVIDER_PAGES, ...fakes];
}
