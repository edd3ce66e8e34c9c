// "Pay by card" / "Pay with Swish": a plain POST form; the route's action sends the payer on to
// the supplier's provider's hosted payment page (card data never touches our pages).
import type { CheckoutMethod } from "~/domain/payment-methods";
import type { Locale } from "~/i18n";
import { methodSentence } from "~/i18n/format";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import { PayerForm, formState } from "./form-fields";

export function CheckoutButton(props: {
  method: CheckoutMethod;
  panel: PayerPanel;
  actionData?: PayerActionData;
  locale: Locale;
  /** The retry under a failed attempt repeats the form; only the first shows its error. */
  showErrors?: boolean;
}) {
  const { locale } = props;
  // Both buttons post intent pay-card: a refusal (the route answers it as form "pay") belongs
  // to the one whose method was sent.
  const data = props.actionData;
  const mine =
    props.showErrors !== false && data && (data.form === "pay" || data.form === "pay-card") && data.values.method === props.method
      ? { ...data, form: "pay-card" }
      : undefined;
  const form = formState("pay-card", props.panel.submissionIds, mine, locale);
  return (
    <PayerForm form={{ ...form, idPrefix: `pay-${props.method}` }} intent="pay-card" hidden={{ method: props.method }} className="checkout-form" land={false}>
      <button type="submit" className="button button--pay">
        {methodSentence(props.method, "button", locale)}
      </button>
    </PayerForm>
  );
}
