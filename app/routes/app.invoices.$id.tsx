// One invoice in the console (/app/invoices/:id): its facts, lines, payments and balance, the
// timeline, and the API's actions as plain POST forms, each intent calling the API's use case
// (features/console/invoice-actions.server.ts). Reading needs invoices.read; changing needs
// invoices.work, recording a payment payments.record (a sales user sees no forms; posting is 403).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatDate, formatDateTime, methodName } from "~/i18n/format";
import { RECORDED_METHODS } from "~/domain/payment-methods";
import { todayIn } from "~/domain/invoice-status";
import { consoleRoute, field, notFound, type ConsoleIntent } from "~/features/console/console-route.server";
import { consoleInvoicePage, WEBHOOK_ROWS, type TimelineEntry } from "~/features/console/invoice-page.server";
import { localRefusal } from "~/features/console/refusals.server";
import { INVOICE_INTENTS, runInvoiceAction, type InvoiceIntent } from "~/features/console/invoice-actions.server";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { InvoiceStatusTags, money } from "~/components/console/invoice-status";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? t(data.locale, "console.invoice.title", { number: data.page.invoice.number }) : "" },
];

const intent = (name: InvoiceIntent): ConsoleIntent => ({
  permission: name === "record_payment" ? "payments.record" : "invoices.work",
  run: async (call, form) => {
    const result = await runInvoiceAction(
      { db: call.app.db, config: call.app.config, supplierId: call.supplier.id, invoiceId: call.params.id ?? "", actor: call.actor, now: call.now },
      name,
      (key) => field(form, key),
    );
    if (!result.ok && result.notFound) throw notFound();
    // The use case's refusal in the clerk's language (its English kept where the wording is unknown).
    if (!result.ok) return json({ ...result, problem: localRefusal(call.locale, result.problem) }, 422, NO_STORE);
    return json(result, 200, NO_STORE);
  },
});

const route = consoleRoute({
  permission: "invoices.read",
  load: async (call) => {
    const page = await consoleInvoicePage(call.app.db, call.app.config, call.supplier.id, call.params.id ?? "", call.now);
    if (!page) throw notFound();
    return {
      locale: call.locale,
      page,
      work: call.can("invoices.work"),
      record: call.can("payments.record"),
      // The webhook deliveries link to their endpoint's log only for those who may open it.
      webhookLog: call.can("settings.read"),
      // Each form carries its own key: a double click books once (the API's idempotency).
      submission: crypto.randomUUID(),
      today: call.now.toISOString().slice(0, 10),
    };
  },
  intents: Object.fromEntries(INVOICE_INTENTS.map((name) => [name, intent(name)])),
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

function Key({ submission, intent }: { submission: string; intent: InvoiceIntent }) {
  return <input type="hidden" name="submission" value={`console-${submission}-${intent}`} />;
}

function Outcome({ locale }: { locale: Locale }) {
  const result = useActionData<typeof action>();
  if (!result || !("ok" in result)) return null;
  if (result.ok) {
    return (
      <Notice>
        {t(locale, `console.invoice.done.${result.intent}` as MessageKey)}
        {result.shown ? <> <a href={result.shown}>{result.shown}</a></> : null}
      </Notice>
    );
  }
  if (result.notFound) return null;
  return (
    <div className="console-notice console-notice--error" role="alert">
      <p>{t(locale, `console.invoice.refused.${result.intent}` as MessageKey)}</p>
      {result.missingAmount ? <p>{t(locale, "console.invoice.error.amount")}</p> : null}
      {result.refusal ? <p>{t(locale, `console.invoice.reminderRefused.${result.refusal}` as MessageKey)}</p> : null}
      {!result.refusal && result.problem.detail ? <p>{result.problem.detail}</p> : null}
      {!result.refusal && result.problem.errors.length > 0 ? (
        <ul>
          {result.problem.errors.map((e: { field: string; message: string }) => (
            <li key={e.field}>{e.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A webhook delivery's endpoint, state, attempts and last HTTP status; the endpoint links to its log. */
function WebhookFacts({ locale, url, webhook, link }: { locale: Locale; url: string; webhook: NonNullable<TimelineEntry["webhook"]>; link: boolean }) {
  return (
    <>
      {" · "}
      {link ? <a href={`/app/settings/webhooks/${encodeURIComponent(webhook.endpointId)}`}>{url}</a> : url}
      {" · "}
      {t(locale, `console.invoice.webhook.${webhook.state}`)}
      {" · "}
      {t(locale, "console.invoice.webhook.attempts", { count: webhook.attempts })}
      {webhook.lastStatusCode !== null ? ` · HTTP ${webhook.lastStatusCode}` : ""}
    </>
  );
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>["page"];

/** The reminders fact: the clerk's pause (until when, by whom, why), the payer's report pause, or on. */
function RemindersState({ locale, invoice, pausedBy, timeZone }: { locale: Locale; invoice: Page["invoice"]; pausedBy: string | null; timeZone: string }) {
  const pause = invoice.reminder_pause;
  const parts: string[] = [];
  if (pause) {
    parts.push(pause.until
      ? t(locale, "console.invoice.remindersPausedUntil", { date: formatDate(todayIn(timeZone, new Date(pause.until)), locale) })
      : t(locale, "console.invoice.remindersPausedOpen"));
    parts.push(pause.by === "user"
      ? t(locale, "console.invoice.remindersPausedByUser", { who: pausedBy ?? "?" })
      : t(locale, "console.invoice.remindersPausedByApi"));
    if (pause.reason) parts.push(pause.reason);
  }
  if (invoice.status === "paid" || invoice.status === "cancelled") return <>{t(locale, "console.invoice.remindersSettled")}</>;
  if (invoice.disputed) parts.push(t(locale, "console.invoice.remindersDisputed"));
  if (invoice.payment_reported_until) {
    parts.push(t(locale, "console.invoice.remindersPayerReported", { date: formatDateTime(invoice.payment_reported_until, locale, timeZone) }));
  }
  return <>{parts.length > 0 ? parts.join(" · ") : t(locale, "console.invoice.remindersOn")}</>;
}

/** Send the next reminder now (saying which step and what it states), pause, and resume. */
function ReminderForms({ locale, page, submission }: { locale: Locale; page: Page; submission: string }) {
  const { invoice, nextReminder: next } = page;
  const cur = invoice.currency;
  return (
    <>
      <Form method="post" reloadDocument className="console-action">
        <h3>{t(locale, "console.invoice.sendReminder")}</h3>
        {next?.ok ? (
          <>
            <p data-testid="next-reminder">
              {t(locale, "console.invoice.sendReminderPlan", {
                step: t(locale, `console.invoice.reminderStep.${next.step}`),
                fee: money(next.fee, cur, locale),
                interest: money(next.interest, cur, locale),
              })}
            </p>
            <Key submission={submission} intent="send_reminder" />
            <Submit intent="send_reminder">{t(locale, "console.invoice.sendReminderSubmit")}</Submit>
          </>
        ) : next ? (
          <p data-testid="next-reminder">
            {t(locale, "console.invoice.sendReminderNot")} {t(locale, `console.invoice.reminderRefused.${next.refusal}`)}
          </p>
        ) : null}
      </Form>
      {invoice.status === "open" || invoice.status === "overdue" ? (
        <Form method="post" reloadDocument className="console-action">
          <h3>{t(locale, "console.invoice.pauseReminders")}</h3>
          <Key submission={submission} intent="pause_reminders" />
          <fieldset>
            <legend>{t(locale, "console.invoice.pauseHow")}</legend>
            <label><input type="radio" name="pause" value="resumed" defaultChecked /> {t(locale, "console.invoice.pauseUntilResumed")}</label>
            <label><input type="radio" name="pause" value="until" /> {t(locale, "console.invoice.pauseUntilDate")}</label>
          </fieldset>
          <Field name="until" id="pause-until" type="date" label={t(locale, "console.invoice.pauseUntil")} />
          <Field name="reason" id="pause-reason" label={t(locale, "console.invoice.reason")} />
          <Submit intent="pause_reminders" secondary>{t(locale, "console.invoice.pauseSubmit")}</Submit>
        </Form>
      ) : null}
      {invoice.reminder_pause ? (
        <Form method="post" reloadDocument className="console-action">
          <h3>{t(locale, "console.invoice.resumeReminders")}</h3>
          <p>{t(locale, "console.invoice.resumeHint")}</p>
          <Key submission={submission} intent="resume_reminders" />
          <Submit intent="resume_reminders" secondary>{t(locale, "console.invoice.resumeSubmit")}</Submit>
        </Form>
      ) : null}
    </>
  );
}

export default function InvoicePage() {
  const { locale, page, work, record, webhookLog, submission, today } = useLoaderData<typeof loader>();
  const { invoice } = page;
  const cur = invoice.currency;
  const open = invoice.status === "open" || invoice.status === "overdue";
  const isCreditNote = invoice.total <= 0;
  const openDisputes = page.disputes.filter((d) => d.status === "open");
  return (
    <main className="page console-invoice">
      <p><a href="/app/invoices">{t(locale, "console.invoice.back")}</a></p>
      <h1>{t(locale, "console.invoice.title", { number: invoice.number })}</h1>
      <Outcome locale={locale} />
      <InvoiceStatusTags locale={locale} statuses={page.statuses} />

      <section aria-labelledby="facts">
        <h2 id="facts">{t(locale, "console.invoice.facts")}</h2>
        <dl className="console-facts">
          <div>
            <dt>{t(locale, "console.invoices.customer")}</dt>
            <dd><a href={`/app/invoices?customer=${invoice.customer.id}`}>{invoice.customer.name}</a></dd>
          </div>
          <div><dt>{t(locale, "console.invoices.issued")}</dt><dd>{formatDate(invoice.issue_date, locale)}</dd></div>
          <div><dt>{t(locale, "console.invoices.due")}</dt><dd>{formatDate(invoice.due_date, locale)}</dd></div>
          <div><dt>{t(locale, "console.invoice.ocr")}</dt><dd>{invoice.ocr}</dd></div>
          <div><dt>{t(locale, "console.invoices.total")}</dt><dd>{money(invoice.total, cur, locale)}</dd></div>
          <div><dt>{t(locale, "console.invoice.paid")}</dt><dd>{money(invoice.amount_paid, cur, locale)}</dd></div>
          <div><dt>{t(locale, "console.invoices.balance")}</dt><dd data-testid="balance">{money(invoice.amount_due, cur, locale)}</dd></div>
          <div>
            <dt>{t(locale, "console.invoice.reminders")}</dt>
            <dd data-testid="reminders-state"><RemindersState locale={locale} invoice={invoice} pausedBy={page.pausedBy} timeZone={page.timeZone} /></dd>
          </div>
          {invoice.confirmed_at ? (
            <div><dt>{t(locale, "console.invoice.confirmed")}</dt><dd>{formatDateTime(invoice.confirmed_at, locale, page.timeZone)}</dd></div>
          ) : null}
        </dl>
        <p className="console-invoice__files">
          <a href={`/app/invoices/${invoice.id}/pdf`} download>{t(locale, "console.invoice.pdf")}</a>
          {page.hasSupplierPdf ? <a href={`/app/invoices/${invoice.id}/pdf?document=supplier`} download>{t(locale, "console.invoice.supplierPdf")}</a> : null}
        </p>
      </section>

      <section aria-labelledby="lines">
        <h2 id="lines">{t(locale, "console.invoice.lines")}</h2>
        <div className="console-table-scroll">
          <table className="console-table">
            <thead>
              <tr>
                <th scope="col">{t(locale, "console.invoice.description")}</th>
                <th scope="col" className="num">{t(locale, "console.invoice.quantity")}</th>
                <th scope="col" className="num">{t(locale, "console.invoice.net")}</th>
                <th scope="col" className="num">{t(locale, "console.invoice.vat")}</th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line, index) => (
                <tr key={index}>
                  <td>{line.description}</td>
                  <td className="num">{line.quantity}</td>
                  <td className="num">{money(line.net, cur, locale)}</td>
                  <td className="num">{money(line.vat, cur, locale)} ({line.vat_rate} %)</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="payments">
        <h2 id="payments">{t(locale, "console.invoice.payments")}</h2>
        {page.payments.length === 0 ? <p>{t(locale, "console.invoice.noPayments")}</p> : (
          <ul className="console-list">
            {page.payments.map((p) => (
              <li key={p.id}>
                {formatDateTime(p.received_at ?? p.created_at, locale, page.timeZone)} · {money(p.amount_settled, p.currency, locale)} · {methodName(p.method, locale)}
                {p.provider_reference ? ` · ${p.provider_reference}` : ""}
              </li>
            ))}
          </ul>
        )}
        {record && open ? (
          <Form method="post" reloadDocument className="console-action">
            <h3>{t(locale, "console.invoice.recordPayment")}</h3>
            <Key submission={submission} intent="record_payment" />
            <input type="hidden" name="currency" value={cur} />
            <Field name="amount" label={t(locale, "console.invoice.amount", { currency: cur })} required inputMode="text" defaultValue={String(invoice.amount_due / 100)} />
            <div className="field">
              <label htmlFor="field-method">{t(locale, "console.invoice.method")}</label>
              <select id="field-method" name="method" defaultValue="bank_transfer">
                {RECORDED_METHODS.map((m) => <option key={m} value={m}>{methodName(m, locale)}</option>)}
              </select>
            </div>
            <Field name="received_on" type="date" label={t(locale, "console.invoice.receivedOn")} defaultValue={today} />
            <Field name="reference" label={t(locale, "console.invoice.reference")} />
            <Field name="note" label={t(locale, "console.invoice.note")} />
            <Submit intent="record_payment">{t(locale, "console.invoice.recordPaymentSubmit")}</Submit>
          </Form>
        ) : null}
      </section>

      {page.disputes.length > 0 ? (
        <section aria-labelledby="disputes">
          <h2 id="disputes">{t(locale, "console.invoice.disputes")}</h2>
          <ul className="console-list">
            {page.disputes.map((d) => (
              <li key={d.id}>
                <p>
                  {t(locale, d.kind === "delivery" ? "console.invoice.deliveryProblem" : "console.invoice.problemReport")} · {d.reason} · {t(locale, `console.invoice.disputeStatus.${d.status}`)}
                </p>
                {d.message ? <blockquote>{d.message}</blockquote> : null}
                {work && d.status === "open" ? (
                  <Form method="post" reloadDocument className="console-action">
                    <Key submission={submission} intent="resolve_dispute" />
                    <input type="hidden" name="dispute_id" value={d.id} />
                    <fieldset>
                      <legend>{t(locale, "console.invoice.answer")}</legend>
                      <label><input type="radio" name="status" value="accepted" defaultChecked /> {t(locale, "console.invoice.accept")}</label>
                      <label><input type="radio" name="status" value="rejected" /> {t(locale, "console.invoice.reject")}</label>
                    </fieldset>
                    <Field name="message" id={`answer-message-${d.id}`} label={t(locale, "console.invoice.answerMessage")} />
                    <Field name="credit_note_reference" id={`answer-credit-${d.id}`} label={t(locale, "console.invoice.creditNoteReference")} />
                    <Submit intent="resolve_dispute">{t(locale, "console.invoice.answerSubmit")}</Submit>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
          {openDisputes.length === 0 ? null : <p>{t(locale, "console.invoice.openDisputes", { count: openDisputes.length })}</p>}
        </section>
      ) : null}

      {page.payLink ? (
        <section aria-labelledby="pay-link">
          <h2 id="pay-link">{t(locale, "console.invoice.payLink")}</h2>
          <label htmlFor="pay-link-url">{t(locale, "console.invoice.payLinkCopy")}</label>
          <input id="pay-link-url" className="console-invoice__link" readOnly value={page.payLink.url} />
          <img src={`/app/invoices/${invoice.id}/pay-link.svg`} width={160} height={160} alt={t(locale, "console.invoice.payLinkQr")} />
        </section>
      ) : null}

      {work && !invoice.cancelled_at ? (
        <section aria-labelledby="actions">
          <h2 id="actions">{t(locale, "console.invoice.actions")}</h2>
          <Form method="post" reloadDocument className="console-action">
            <h3>{t(locale, "console.invoice.send")}</h3>
            <Key submission={submission} intent="send" />
            <Field name="message" id="send-message" label={t(locale, "console.invoice.sendMessage")} />
            <Submit intent="send">{t(locale, "console.invoice.sendSubmit")}</Submit>
          </Form>
          {!isCreditNote ? <ReminderForms locale={locale} page={page} submission={submission} /> : null}
          <Form method="post" reloadDocument className="console-action">
            <h3>{t(locale, "console.invoice.reissue")}</h3>
            <p>{t(locale, "console.invoice.reissueHint")}</p>
            <Key submission={submission} intent="reissue_link" />
            <Submit intent="reissue_link" secondary>{t(locale, "console.invoice.reissueSubmit")}</Submit>
          </Form>
          {!isCreditNote ? (
            <Form method="post" reloadDocument className="console-action">
              <h3>{t(locale, "console.invoice.credit")}</h3>
              <Key submission={submission} intent="credit" />
              <fieldset>
                <legend>{t(locale, "console.invoice.creditScope")}</legend>
                <label><input type="radio" name="scope" value="full" defaultChecked /> {t(locale, "console.invoice.creditFull")}</label>
                <label><input type="radio" name="scope" value="part" /> {t(locale, "console.invoice.creditPart")}</label>
              </fieldset>
              <Field name="number" id="credit-number" label={t(locale, "console.invoice.creditNumber")} required />
              <Field name="amount" id="credit-amount" label={t(locale, "console.invoice.creditAmount", { currency: cur })} />
              <div className="field">
                <label htmlFor="field-vat_rate">{t(locale, "console.invoice.creditVat")}</label>
                <select id="field-vat_rate" name="vat_rate" defaultValue="25">
                  {["25", "12", "6", "0"].map((r) => <option key={r} value={r}>{r} %</option>)}
                </select>
              </div>
              <Field name="reason" id="credit-reason" label={t(locale, "console.invoice.reason")} />
              <Submit intent="credit" secondary>{t(locale, "console.invoice.creditSubmit")}</Submit>
            </Form>
          ) : null}
          <Form method="post" reloadDocument className="console-action">
            <h3>{t(locale, "console.invoice.cancel")}</h3>
            <Key submission={submission} intent="cancel" />
            <Field name="reason" id="cancel-reason" label={t(locale, "console.invoice.reason")} />
            <Submit intent="cancel" secondary>{t(locale, "console.invoice.cancelSubmit")}</Submit>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="timeline">
        <h2 id="timeline">{t(locale, "console.invoice.timeline")}</h2>
        <ol className="console-timeline">
          {page.timeline.map((entry, index) => (
            <li key={index}>
              <time dateTime={entry.at}>{formatDateTime(entry.at, locale, page.timeZone)}</time>{" "}
              {t(locale, `console.invoice.timeline.${entry.kind}`)}: {entry.what}
              {entry.webhook ? (
                <WebhookFacts locale={locale} url={entry.who ?? ""} webhook={entry.webhook} link={webhookLog} />
              ) : (
                <>
                  {entry.who ? ` · ${entry.who}` : ""}
                  {entry.state ? ` · ${entry.state}` : ""}
                </>
              )}
            </li>
          ))}
        </ol>
        {page.moreWebhooks ? <p>{t(locale, "console.invoice.webhook.more", { count: String(WEBHOOK_ROWS) })}</p> : null}
      </section>
    </main>
  );
}
