import { en } from "./en";
import { sv } from "./sv";

export const LOCALES = ["sv", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { sv, en };

export function isLocale(value: unknown): value is Locale {
  return value === "sv" || value === "en";
}

/** Translates a key; `{name}` placeholders are replaced from params. */
export function t(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const message = dictionaries[locale][key];
  // Most messages have no placeholders: skip the regular expression (a page renders hundreds).
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

/** Picks sv or en from an Accept-Language header (q-values respected); English by default. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const primary = tag.split("-")[0];
    if (primary === "sv") return "sv";
    if (primary === "en") return "en";
  }
  return undefined;
}

/**
 * An explicit choice (?lang=) wins, then the caller's preference (e.g. the customer's), then the
 * browser, then the fallback (e.g. the supplier's language).
 */
export function negotiateLocale(request: Request, preferred?: string | null, fallback: Locale = "en"): Locale {
  const fromQuery = new URL(request.url).searchParams.get("lang");
  if (isLocale(fromQuery)) return fromQuery;
  if (isLocale(preferred)) return preferred;
  return localeFromAcceptLanguage(request.headers.get("accept-language")) ?? fallback;
}
