// "Send a new link" (security L6): the form on a dead link's 404 page and the answer it gets.
// The form has no address field: a new link goes only to the billing contacts on file.
import { t, type Locale } from "~/i18n";

/**
 * Posts to the page's own URL (no action attribute), so the token never appears in the page and
 * the 404 body is the same for every token. No JavaScript needed.
 */
export function LinkRequestForm({ locale }: { locale: Locale }) {
  return (
    <form method="post" className="link-request">
      <p>{t(locale, "linkRequest.lead")}</p>
      <input type="hidden" name="intent" value="request-link" />
      <button type="submit" className="button">
        {t(locale, "linkRequest.button")}
      </button>
    </form>
  );
}

/** The same answer whatever happened: it never says whether the link was ours. */
export function LinkRequestedPage({ locale }: { locale: Locale }) {
  return (
    <main className="page page--narrow">
      <h1>{t(locale, "linkRequest.sent.title")}</h1>
      <p role="status">{t(locale, "linkRequest.sent.body")}</p>
      <p>{t(locale, "linkRequest.sent.hint")}</p>
    </main>
  );
}
