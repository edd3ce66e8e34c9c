// What happened to the payer's payment, said once near the top: a checkout being processed, a
// card or Swish attempt that did not go through (with the button to try again), an "I have
// paid" waiting for the bank. Only the provider's verified event ever turns the page "Paid".
import type { CurrencyCode } from "~/domain/money";
import { checkoutOption } from "~/domain/payment-methods";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate, methodSentence } from "~/i18n/format";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import type { PortalPayments } from "~/features/portal/portal-payments.server";
import { CheckoutButton } from "./payment-checkout";

type Failed = NonNullable<PortalPayments["failedAttempt"]>;

/**
 * Stripe and Adyen write their decline reasons ("Your card has insufficient funds.") in English,
 * whatever the payer's language: quoted on an English page only, never inside a Swedish sentence.
 */
const PROVIDER_REASON_LOCALE: Locale = "en";

export function failureText(failed: Failed, locale: Locale): string {
  const reason = locale === PROVIDER_REASON_LOCALE ? failed.reason : null;
  return methodSentence(failed.method, failed.status === "cancelled" ? "cancelled" : reason ? "failedReason" : "failed", locale, { reason: reason ?? "" });
}

export function PaymentStatusNotice(props: {
  pay: PortalPayments;
  currency: CurrencyCode;
  supplier: string;
  locale: Locale;
  panel?: PayerPanel;
  actionData?: PayerActionData;
}) {
  const { pay, locale, panel } = props;
  if (pay.processing) {
    return (
      <div className="notice notice--info" role="status">
        <p className="notice__title">{t(locale, "payments.processing.title")}</p>
        <p>{t(locale, "payments.processing.body")}</p>
      </div>
    );
  }
  if (pay.failedAttempt) {
    const method = pay.failedAttempt.method;
    const canRetry = panel !== undefined && pay.options.includes(checkoutOption(method));
    return (
      <div className="notice notice--bad" role="alert">
        <p className="notice__title">{failureText(pay.failedAttempt, locale)}</p>
        {canRetry && (
          <>
            <p>{t(locale, "payments.retry")}</p>
            <CheckoutButton method={method} panel={panel} actionData={props.actionData} locale={locale} showErrors={false} />
          </>
        )}
      </div>
    );
  }
  if (pay.reported) {
    const { reported } = pay;
    return (
      <div className="notice notice--info" role="status">
        <p className="notice__title">{t(locale, "payments.reported.title")}</p>
        <p>
          {t(locale, "payments.reported.body", {
            amount: formatAmount(reported.amount, props.currency, locale),
            date: formatDate(reported.paidOn, locale),
            until: formatDate(reported.untilDate, locale),
            supplier: props.supplier,
          })}
        </p>
      </div>
    );
  }
  return null;
}
