// Wording helpers for the templates: dictionary labels for codes, instants for people.
import { t, type Locale, type MessageKey } from "~/i18n";
import { intlLocale } from "~/i18n/format";
import { en } from "~/i18n/en";

function labelFor(locale: Locale, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  if (key in en) return t(locale, key as MessageKey);
  return code.replace(/_/g, " ");
}

export const reasonLabel = (locale: Locale, code: string) => labelFor(locale, "email.reason", code);
export const contactFieldLabel = (locale: Locale, field: string) => labelFor(locale, "email.contactField", field);

/** "24 November 2026 at 12:05" / "24 november 2026 kl. 12:05" in the given time zone. */
export function formatInstant(iso: string, locale: Locale, timeZone = "Europe/Stockholm"): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "long", timeStyle: "short", timeZone }).format(
    new Date(iso),
  );
}
