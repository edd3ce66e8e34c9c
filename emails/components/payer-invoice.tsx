// What every payer email about an invoice shows, so that the payer can pay from the email alone:
// the amount due and due date as of sending, the account and its reference, and the portal link
// (buttons plus the address spelled out). EmailLayout renders it from the context, so no payer
// template can leave it out; the plain-text part is converted from the same HTML.
import type { ReactNode } from "react";
import { Section, Text } from "@react-email/components";
import { formatIban } from "~/domain/identifiers";
import { t } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { Fact, LinkButtons, styles } from "./elements";
import { money } from "./payment";
import { webUrl, type EmailContext, type EmailInvoice } from "./template";

/** A button to a part of the invoice page: `fragment` is an element id there ("pay"). */
export type PortalButton = { label: string; fragment?: string };

/**
 * The context's portal link when it is http(s), else null. The link is built by the job, not
 * typed by anyone, but a javascript: or data: URL in an email would be clicked by real people:
 * refuse it here, where every link to the portal is rendered.
 */
export function portalUrlOf(context: EmailContext): string | null {
  const url = context.portalUrl;
  if (!url) return null;
  return webUrl.safeParse(url).success ? url : null;
}

function withFragment(url: string, fragment: string | undefined): string {
  if (!fragment) return url;
  const hash = url.indexOf("#");
  return `${hash === -1 ? url : url.slice(0, hash)}#${encodeURIComponent(fragment)}`;
}

/**
 * The payment facts (when the context has the invoice) and the portal buttons (when it has a link).
 * `charges` are the template's own lines after the amount due (a reminder's fee and new total).
 */
export function PayerInvoice(props: { context: EmailContext; charges?: ReactNode; buttons?: PortalButton[] }) {
  const { context } = props;
  const url = portalUrlOf(context);
  const buttons = props.buttons ?? [{ label: t(context.locale, "email.openInvoice") }];
  return (
    <>
      {context.invoice ? <PaymentFacts context={context} invoice={context.invoice} charges={props.charges} /> : null}
      {url ? (
        <LinkButtons
          context={context}
          buttons={buttons.map((button) => ({ href: withFragment(url, button.fragment), label: button.label }))}
          address={url}
        />
      ) : null}
    </>
  );
}

function PaymentFacts({ context, invoice, charges }: { context: EmailContext; invoice: EmailInvoice; charges: ReactNode }) {
  const { locale } = context;
  if (invoice.amountDue <= 0) {
    return (
      <Section style={styles.box}>
        <Text style={{ ...styles.fact, margin: 0 }}>{t(locale, "email.invoice.paid", { number: invoice.number })}</Text>
      </Section>
    );
  }
  const domestic = invoice.bankgiro !== null || invoice.plusgiro !== null;
  return (
    <Section style={styles.box}>
      <Text style={styles.subheading}>{t(locale, "email.invoice.heading", { number: invoice.number })}</Text>
      <Fact label={t(locale, "email.invoice.amountDue")} value={money(locale, invoice.amountDue, invoice.currency)} />
      {charges}
      <Fact label={t(locale, "email.invoice.dueDate")} value={formatDate(invoice.dueDate, locale)} />
      <Fact label={t(locale, "email.invoice.bankgiro")} value={invoice.bankgiro} />
      <Fact label={t(locale, "email.invoice.plusgiro")} value={invoice.plusgiro} />
      {/* Without any account the OCR still identifies the payment (e.g. on the invoice page). */}
      {domestic || invoice.iban === null ? <Fact label={t(locale, "email.invoice.ocr")} value={invoice.ocr} /> : null}
      {invoice.iban !== null ? (
        <>
          <Fact label={t(locale, "email.invoice.iban")} value={formatIban(invoice.iban)} />
          {/* The RF reference survives foreign banks; without one the OCR is the reference. */}
          <Fact
            label={t(locale, invoice.rf ? "email.invoice.rf" : "email.invoice.reference")}
            value={invoice.rf ?? invoice.ocr}
          />
        </>
      ) : null}
      <Text style={{ ...styles.small, margin: "8px 0 0" }}>
        {t(locale, domestic ? "email.invoice.referenceHint.ocr" : "email.invoice.referenceHint.other")}
      </Text>
    </Section>
  );
}
