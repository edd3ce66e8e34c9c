// The frame every email shares: the supplier's name or logo, its colour, one column, a footer;
// for payer emails about an invoice also the payment facts and the portal link (PayerInvoice),
// drawn from the context so that no template can forget them.
import type { ReactNode } from "react";
import { Body, Container, Head, Hr, Html, Img, Preview, Section, Text } from "@react-email/components";
import { t } from "~/i18n";
import { brandColour, styles } from "./elements";
import { PayerInvoice, type PortalButton } from "./payer-invoice";
import type { EmailContext } from "./template";

export { Fact, Facts, Heading, Paragraph, PortalLink, Quote } from "./elements";
export { portalUrlOf, type PortalButton } from "./payer-invoice";

export function EmailLayout(props: {
  context: EmailContext;
  preview: string;
  children: ReactNode;
  /** Lines shown under the amount due (a reminder's fee and the total with it). */
  charges?: ReactNode;
  /** Buttons to the portal page instead of the one "Open the invoice". */
  buttons?: PortalButton[];
  /** Below the payment facts and buttons (e.g. what else the page offers). */
  after?: ReactNode;
}) {
  const { context, preview, children } = props;
  const { brand, locale } = context;
  const logo = brand.logoUrl && brand.logoUrl.startsWith("https://") ? brand.logoUrl : null;
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={{ ...styles.container, borderTop: `4px solid ${brandColour(brand)}` }}>
          <Section>
            {logo ? <Img src={logo} alt={brand.name} height="40" style={{ margin: "20px 0 4px" }} /> : null}
            {logo ? null : <Text style={styles.brand}>{brand.name}</Text>}
          </Section>
          {children}
          <PayerInvoice context={context} charges={props.charges} buttons={props.buttons} />
          {props.after}
          <Hr />
          <Text style={styles.footer}>{t(locale, "email.footer", { supplier: brand.name })}</Text>
        </Container>
      </Body>
    </Html>
  );
}
