// The customer's campaign page: who asks (the supplier's brand), its message and deadline, the
// one big "All correct" within the first phone screen, then the company and billing contacts on
// file with their correction forms. Server-rendered and complete without JavaScript; after an
// answer the top says so ("Thank you — …", with the date) in place of the deadline and the
// confirm block, and every form stays open for further corrections.
import { t } from "~/i18n";
import { formatDate, formatDateTime } from "~/i18n/format";
import type { CampaignPage } from "~/features/campaigns/campaign-page.server";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import { PortalHeader } from "../portal-header";
import { brandTone } from "../invoice/brand";
import { Contacts } from "../invoice/contacts";
import { PayerForm, formState } from "../invoice/form-fields";
import { CampaignMessage } from "./campaign-message";
import { Organisation } from "./organisation";

/** "31 March 2026" for the end of a day, else "31 March 2026 at 12:00", on the supplier's clock. */
function deadlineText({ campaign: { deadline }, supplier, locale }: CampaignPage): string {
  return deadline.endOfDay ? formatDate(deadline.date, locale) : formatDateTime(deadline.at, locale, supplier.timeZone);
}

function AnswerNotice({ page, answer }: { page: CampaignPage; answer: NonNullable<CampaignPage["answer"]> }) {
  const { locale } = page;
  return (
    // Announced only right after answering (the redirect's ?done=), not on every later visit.
    <div className="notice" role={page.notice ? "status" : undefined}>
      <p className="notice__title">{t(locale, `campaign.answered.${answer.kind}`)}</p>
      <p>
        {t(locale, "campaign.answered.body", { date: formatDate(answer.date, locale), supplier: page.supplier.name })}
      </p>
    </div>
  );
}

function ConfirmAll({ page, actionData }: { page: CampaignPage; actionData?: PayerActionData }) {
  const { locale } = page;
  const form = formState("confirm-contacts", page.submissionIds, actionData, locale);
  return (
    <section className="campaign-confirm" aria-labelledby="confirm-heading">
      <h2 id="confirm-heading">{t(locale, "campaign.confirm.heading")}</h2>
      <p>{t(locale, "campaign.confirm.lead", { supplier: page.supplier.name })}</p>
      <p>
        <strong>{t(locale, "campaign.deadline", { date: deadlineText(page) })}</strong>
      </p>
      <PayerForm form={form} intent="confirm-contacts">
        <button type="submit" className="button button--pay">{t(locale, "campaign.confirm.button")}</button>
      </PayerForm>
    </section>
  );
}

export function CampaignPageView({ page, actionData }: { page: CampaignPage; actionData?: PayerActionData }) {
  const { locale, supplier, campaign, customer } = page;
  const tone = `brand--${brandTone(supplier.brandColor)}`;
  return (
    <>
      <PortalHeader supplier={supplier} tone={tone} locale={locale} />
      <main className={`page portal ${tone}`}>
        <h1>{t(locale, "campaign.heading")}</h1>
        <p>{t(locale, "campaign.lead", { supplier: supplier.name, customer: customer.name })}</p>
        {page.answer ? <AnswerNotice page={page} answer={page.answer} /> : <ConfirmAll page={page} actionData={actionData} />}
        {campaign.message.trim() !== "" && (
          <section className="campaign-message" aria-labelledby="message-heading">
            <h2 id="message-heading">{t(locale, "campaign.messageHeading", { supplier: supplier.name })}</h2>
            <CampaignMessage message={campaign.message} />
          </section>
        )}
        <Organisation customer={customer} submissionIds={page.submissionIds} locale={locale} actionData={actionData} />
        <Contacts
          contacts={page.contacts}
          submissionIds={page.submissionIds}
          supplier={supplier.name}
          locale={locale}
          actionData={actionData}
        />
      </main>
    </>
  );
}
