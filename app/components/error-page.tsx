import type { ReactNode } from "react";
import { t, type Locale } from "~/i18n";

const TEXT = {
  notFound: ["error.notFound.title", "error.notFound.body"],
  badRequest: ["error.badRequest.title", "error.generic.body"],
  generic: ["error.generic.title", "error.generic.body"],
} as const;

/** One friendly page for every failure: it never says which part of a link was wrong. */
export function ErrorPage({ locale, kind, children }: { locale: Locale; kind: keyof typeof TEXT; children?: ReactNode }) {
  const [title, body] = TEXT[kind];
  return (
    <main className="page page--narrow">
      <h1>{t(locale, title)}</h1>
      <p>{t(locale, body)}</p>
      {children}
    </main>
  );
}
