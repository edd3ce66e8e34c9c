// The small pieces every email is built from, with their inline styles (many mail clients drop
// <style> blocks). Kept apart from the layout so that the layout and the payer block can share
// them without importing each other.
import type { ReactNode } from "react";
import { Button, Link, Section, Text } from "@react-email/components";
import { t, type Locale, type MessageKey } from "~/i18n";
import type { EmailBrand, EmailContext } from "./template";

const HEX = /^#[0-9a-f]{6}$/i;
export const INK = "#1b1f24";

export const styles = {
  body: { backgroundColor: "#f4f5f7", fontFamily: "Helvetica, Arial, sans-serif", color: INK, margin: 0 },
  container: { backgroundColor: "#ffffff", maxWidth: "560px", margin: "24px auto", padding: "0 28px 20px" },
  brand: { fontSize: "18px", fontWeight: 700, margin: "20px 0 4px" },
  heading: { fontSize: "20px", fontWeight: 700, margin: "20px 0 8px" },
  subheading: { fontSize: "16px", fontWeight: 700, margin: "0 0 8px" },
  paragraph: { fontSize: "15px", lineHeight: "22px", margin: "12px 0" },
  fact: { fontSize: "15px", lineHeight: "22px", margin: "4px 0" },
  quote: { fontSize: "15px", lineHeight: "22px", margin: "8px 0", padding: "8px 12px", backgroundColor: "#f4f5f7", whiteSpace: "pre-wrap" as const },
  box: { backgroundColor: "#f4f5f7", padding: "14px 16px", margin: "20px 0 8px" },
  footer: { fontSize: "12px", lineHeight: "18px", color: "#57606a" },
  small: { fontSize: "13px", lineHeight: "18px", color: "#57606a" },
  /** A long address may break anywhere; the sentence around it only between words. */
  address: { wordBreak: "break-all" as const },
  button: { color: "#ffffff", padding: "12px 20px", borderRadius: "4px", fontWeight: 700 },
};

/** The supplier's colour when it is a plain #rrggbb, else ink: nothing else reaches a style. */
export function brandColour(brand: EmailBrand): string {
  return brand.brandColor && HEX.test(brand.brandColor) ? brand.brandColor : INK;
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

/** A fact's dictionary label and its value, for Facts. */
export type FactRow = readonly [label: MessageKey, value: ReactNode];

/** Fact lines in order, their labels from the dictionary; a row without a value shows nothing. */
export function Facts({ locale, rows }: { locale: Locale; rows: FactRow[] }) {
  return (
    <>
      {rows.map(([label, value]) => (
        <Fact key={label} label={t(locale, label)} value={value} />
      ))}
    </>
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

export type EmailButton = { href: string; label: string };

/**
 * Buttons, then the address spelled out for clients that hide buttons or strip links. Callers
 * pass only http(s) addresses (props through `webUrl`, the portal link through `portalUrlOf`).
 */
export function LinkButtons({ context, buttons, address }: { context: EmailContext; buttons: EmailButton[]; address: string }) {
  if (buttons.length === 0) return null;
  const colour = brandColour(context.brand);
  return (
    <Section style={{ margin: "20px 0" }}>
      {/* One paragraph each: stacked on a phone, and one line each in the plain-text part. */}
      {buttons.map((button) => (
        <Text key={button.href} style={{ margin: "0 0 12px" }}>
          <Button href={button.href} style={{ ...styles.button, backgroundColor: colour }}>
            {button.label}
          </Button>
        </Text>
      ))}
      <Text style={styles.small}>
        {t(context.locale, buttons.length > 1 ? "email.linkFallbackMany" : "email.linkFallback")}{" "}
        <Link href={address} style={styles.address}>
          {address}
        </Link>
      </Text>
    </Section>
  );
}

/** One button to a page (e.g. a corrected invoice), with its address spelled out. */
export function PortalLink({ context, href, label }: { context: EmailContext; href: string | null; label?: string }) {
  if (!href) return null;
  return <LinkButtons context={context} buttons={[{ href, label: label ?? t(context.locale, "email.openInvoice") }]} address={href} />;
}
