// The top of a payer's page (an invoice's, a campaign's): the supplier's logo or name on its brand
// tone, and the language switch, a plain link that keeps the token path (a relative "?lang=" URL).
import { t, type Locale } from "~/i18n";

export function PortalHeader(props: {
  supplier: { name: string; logoUrl: string | null };
  /** The brand's stylesheet class, `brand--<tone>` (see invoice/brand.tsx). */
  tone: string;
  locale: Locale;
}) {
  const { supplier, locale } = props;
  const other: Locale = locale === "sv" ? "en" : "sv";
  return (
    <header className={`portal-header ${props.tone}`}>
      <div className="portal-header__inner">
        {supplier.logoUrl ? (
          <img className="portal-header__logo" src={supplier.logoUrl} alt={supplier.name} referrerPolicy="no-referrer" />
        ) : (
          <p className="portal-header__name">{supplier.name}</p>
        )}
        <nav className="language" aria-label={t(locale, "language.label")}>
          <a href={`?lang=${other}`} hrefLang={other} lang={other}>
            {t(locale, "language.switch")}
          </a>
        </nav>
      </div>
    </header>
  );
}
