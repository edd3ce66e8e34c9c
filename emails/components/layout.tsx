// The frame every email shares: the supplier's name or logo, its colour, one column, a footer.
// Styles are inline because many mail clients drop <style> blocks.
import type { ReactNode } from "react";
import { Body, Button, Container, Head, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import { t } from "~/i18n";
import type { EmailContext } from "./template";

const HEX = /^#[0-9a-f]{6}$/i;
const INK = "#1b1f24";

const styles = {
  body: { backgroundColor: "#f4f5f7", fontFamily: "Helvetica, Arial, sans-serif", color: INK, margin: 0 },
  container: { backgroundColor: "#ffffff", maxWidth: "560px", margin: "24px auto", padding: "0 28px 20px" },
  brand: { fontSize: "18px", fontWeight: 700, margin: "20px 0 4px" },
  heading: { fontSize: "20px", fontWeight: 700, margin: "20px 0 8px" },
  paragraph: { fontSize: "15px", lineHeight: "22px", margin: "12px 0" },
  fact: { fontSize: "15px", lineHeight: "22px", margin: "4px 0" },
  quote: { fontSize: "15px", lineHeight: "22px", margin: "8px 0", padding: "8px 12px", backgroundColor: "#f4f5f7", whiteSpace: "pre-wrap" as const },
  footer: { fontSize: "12px", lineHeight: "18px", color: "#57606a" },
  small: { fontSize: "13px", lineHeight: "18px", color: "#57606a", wordBreak: "break-all" as const },
};

export function EmailLayout({ context, preview, children }: { context: EmailContext; preview: string; children: ReactNode }) {
  const { brand, locale } = context;
  const colour = brand.brandColor && HEX.test(brand.brandColor) ? brand.brandColor : INK;
  const logo = brand.logoUrl && brand.logoUrl.startsWith("https://") ? brand.logoUrl : null;
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={{ ...styles.container, borderTop: `4px solid ${colour}` }}>
          <Section>
            {logo ? <Img src={logo} alt={brand.name} height="40" style={{ margin: "20px 0 4px" }} /> : null}
            {logo ? null : <Text style={styles.brand}>{brand.name}</Text>}
          </Section>
          {children}
          <Hr />
          <Text style={styles.footer}>{t(locale, "email.footer", { supplier: brand.name })}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const Heading = ({ children }: { children: ReactNode }) => <Text style={styles.heading}>{children}</Text>;

export const Paragraph = ({ children }: { children: ReactNode }) => <Text style={styles.paragraph}>{children}</Text>;

/** One "Label: value" line; nothing at all when there is no value. */
export function Fact({ label, value }: { label: string; value: ReactNode }) {
  if (value === null || value === undefined || value === "") return null;
  return (
    <Text style={styles.fact}>
      <strong>{label}:</strong> {value}
    </Text>
  );
}

/** Text someone typed (a payer's message, a supplier's answer), kept as written. */
export function Quote({ label, children }: { label: string; children: string | null }) {
  if (!children) return null;
  return (
    <Section>
      <Text style={{ ...styles.fact, marginTop: "12px" }}>
        <strong>{label}:</strong>
      </Text>
      <Text style={styles.quote}>{children}</Text>
    </Section>
  );
}

/** A button to the portal page, with the address spelled out for clients that hide buttons. */
export function PortalLink({ context, href, label }: { context: EmailContext; href: string | null; label?: string }) {
  if (!href) return null;
  const colour = context.brand.brandColor && HEX.test(context.brand.brandColor) ? context.brand.brandColor : INK;
  return (
    <Section style={{ margin: "20px 0" }}>
      <Button
        href={href}
        style={{ backgroundColor: colour, color: "#ffffff", padding: "12px 20px", borderRadius: "4px", fontWeight: 700 }}
      >
        {label ?? t(context.locale, "email.openInvoice")}
      </Button>
      <Text style={styles.small}>
        {t(context.locale, "email.linkFallback")} <Link href={href}>{href}</Link>
      </Text>
    </Section>
  );
}
