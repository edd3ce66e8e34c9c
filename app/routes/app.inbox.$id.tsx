// One inbox item (/app/inbox/<ibx_…>): its facts, its state and assignee, the team's internal
// notes, and for a problem report or delivery problem the answer to the payer. Reading needs
// `invoices.read`; every form's intent needs `invoices.work` (else 403, nothing written). Another
// supplier's item is a 404. An unmatched bank payment's forms (place on an invoice, to be paid
// back, not ours) need `payments.record` and call the API's use cases (unapplied-payment-actions).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t, type MessageKey } from "~/i18n";
import { INBOX_STATES } from "~/domain/inbox";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { Notice, Submit } from "~/components/console/console-form";
import { InboxFacts, InboxWhen } from "~/components/console/inbox-item";
import { UnappliedPaymentWork } from "~/components/console/inbox-unapplied-payment";
import { consoleRoute, field, notFound, type ConsoleCall } from "~/features/console/console-route.server";
import {
  addInboxNote, answerInboxItem, assignInboxItem, changeInboxState, inboxItem, supplierTimeZone, type AnswerResult, type InboxContext,
} from "~/features/inbox/inbox.server";
import { localRefusal } from "~/features/console/refusals.server";
import {
  runUnappliedIntent, type AllocationDraft, type UnappliedActionResult, type UnappliedIntent,
} from "~/features/inbox/unapplied-payment-actions.server";

type UnappliedProblem = { detail: string | null; errors: { field: string; message: string }[] };

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.inbox.title") }];

const context = (call: ConsoleCall): InboxContext => ({ supplierId: call.supplier.id, actor: call.actor, now: call.now });

/** Done: back to the item (POST-redirect-GET); another supplier's item: 404; else what is wrong. */
function answer(call: ConsoleCall, result: AnswerResult) {
  if (result.ok) return redirect(`/app/inbox/${call.params.id ?? ""}`, { status: 303, headers: NO_STORE });
  if (result.reason === "not_found") throw notFound();
  const errors = "errors" in result ? result.errors : {};
  return json({ error: `console.inbox.error.${result.reason}` as MessageKey, errors: errors as Record<string, MessageKey> }, 422, NO_STORE);
}

const itemId = (call: ConsoleCall) => call.params.id ?? "";

/**
 * Done: back to the item, at the payment's facts (its new state; the redirect's own fragment, not
 * the form's); another supplier's item: 404; a stale form: 409; more rows: the form again; else what is wrong.
 */
function paymentAnswer(call: ConsoleCall, result: UnappliedActionResult) {
  if (result.ok) return redirect(`/app/inbox/${itemId(call)}#inbox-payment`, { status: 303, headers: NO_STORE });
  if (result.notFound) throw notFound();
  const failure = (error: MessageKey | null, status: number, extra: { problem?: UnappliedProblem; draft?: AllocationDraft } = {}) =>
    json({ payment: { error, problem: extra.problem ?? null, draft: extra.draft ?? null } }, status, NO_STORE);
  if (result.conflict) return failure("console.inbox.payment.conflict", 409);
  if ("more" in result) return failure(null, 200, { draft: result.draft });
  if ("split" in result) return failure(result.split === "empty" ? "console.inbox.payment.noRows" : "console.inbox.payment.tooMuch", 422, { draft: result.draft });
  if ("badAmount" in result) return failure(result.draft ? "console.inbox.payment.badRows" : "console.inbox.payment.badAmount", 422, { draft: result.draft });
  return failure("console.inbox.payment.refused", 422, { problem: localRefusal(call.locale, result.problem), draft: result.draft });
}

const paymentIntent = (intent: UnappliedIntent) => ({
  permission: "payments.record" as const,
  run: async (call: ConsoleCall, form: FormData) =>
    paymentAnswer(
      call,
      await runUnappliedIntent(call.app.db, context(call), itemId(call), intent, (name) => field(form, name), (name) =>
        form.getAll(name).filter((value): value is string => typeof value === "string"),
      ),
    ),
});

const route = consoleRoute({
  permission: "invoices.read",
  load: async (call) => {
    const [found, timeZone] = await Promise.all([inboxItem(call.app.db, call.supplier.id, itemId(call)), supplierTimeZone(call.app.db, call.supplier.id)]);
    if (!found) throw notFound();
    return { locale: call.locale, timeZone, work: call.can("invoices.work"), record: call.can("payments.record"), ...found };
  },
  intents: {
    allocate: paymentIntent("allocate"),
    allocate_more: paymentIntent("allocate_more"),
    refund: paymentIntent("refund"),
    not_ours: paymentIntent("not_ours"),
    state: { permission: "invoices.work", run: async (call, form) => answer(call, await changeInboxState(call.app.db, context(call), itemId(call), field(form, "state"))) },
    assign: { permission: "invoices.work", run: async (call, form) => answer(call, await assignInboxItem(call.app.db, context(call), itemId(call), field(form, "assignee_id"))) },
    note: { permission: "invoices.work", run: async (call, form) => answer(call, await addInboxNote(call.app.db, context(call), itemId(call), field(form, "body"))) },
    answer: {
      permission: "invoices.work",
      run: async (call, form) =>
        answer(
          call,
          await answerInboxItem(call.app.db, call.app.config, context(call), itemId(call), {
            status: field(form, "status"),
            message: field(form, "message"),
            creditNoteReference: field(form, "credit_note_reference"),
          }),
        ),
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

export default function InboxItemPage() {
  const { locale, timeZone, work, record, item, notes, team, answerable } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors: Record<string, MessageKey> = failure && "errors" in failure ? failure.errors : {};
  const fieldError = (name: string) =>
    errors[name] ? (
      <span className="field-error" id={`answer-${name}-error`}>
        {t(locale, errors[name])}
      </span>
    ) : null;
  const described = (name: string) => (errors[name] ? `answer-${name}-error` : undefined);
  return (
    <main className="page inbox">
      <p>
        <a href="/app/inbox">{t(locale, "console.inbox.back")}</a>
      </p>
      <h1>
        {t(locale, `console.inbox.kind.${item.kind}`)}
        {item.invoiceNumber ? ` · ${t(locale, "console.inbox.invoice", { number: item.invoiceNumber })}` : ""}
      </h1>
      <p className="inbox-row__meta">
        <span className="inbox-state">{t(locale, `console.inbox.state.${item.state}`)}</span>
        {" · "}
        {t(locale, "console.inbox.opened")} <InboxWhen locale={locale} timeZone={timeZone} iso={item.openedAt} />
        {" · "}
        {t(locale, "console.inbox.assignee")}: {item.assigneeEmail ?? t(locale, "console.inbox.nobody")}
      </p>
      {failure && "error" in failure ? <Notice tone="error">{t(locale, failure.error)}</Notice> : null}
      <InboxFacts locale={locale} item={item} />
      {item.detail?.type === "unapplied_payment" ? (
        <UnappliedPaymentWork locale={locale} detail={item.detail} record={record} failure={failure && "payment" in failure ? failure.payment : null} />
      ) : null}

      {work && answerable ? (
        <section aria-labelledby="inbox-answer">
          <h2 id="inbox-answer">{t(locale, "console.inbox.answer")}</h2>
          <p>{t(locale, "console.inbox.answerHint")}</p>
          <Form method="post" reloadDocument>
            <fieldset className="inbox-choice" aria-describedby={described("status")}>
              <legend>{t(locale, "console.inbox.answer.outcome")}</legend>
              <label>
                <input type="radio" name="status" value="rejected" defaultChecked /> {t(locale, "console.inbox.answer.reject")}
              </label>
              <label>
                <input type="radio" name="status" value="accepted" /> {t(locale, "console.inbox.answer.accept")}
              </label>
              {fieldError("status")}
            </fieldset>
            <div className="field">
              <label htmlFor="answer-message">{t(locale, "console.inbox.answer.message")}</label>
              <textarea id="answer-message" name="message" rows={5} maxLength={5000} aria-invalid={errors.message ? true : undefined} aria-describedby={described("message")} />
              {fieldError("message")}
            </div>
            <div className="field">
              <label htmlFor="answer-credit-note">{t(locale, "console.inbox.answer.creditNote")}</label>
              <input id="answer-credit-note" name="credit_note_reference" maxLength={100} aria-invalid={errors.credit_note_reference ? true : undefined} aria-describedby={described("credit_note_reference")} />
              {fieldError("credit_note_reference")}
            </div>
            <Submit intent="answer">{t(locale, "console.inbox.answer.send")}</Submit>
          </Form>
        </section>
      ) : null}

      {work ? (
        <section aria-labelledby="inbox-work" className="inbox-work">
          <h2 id="inbox-work">{t(locale, "console.inbox.work")}</h2>
          <Form method="post" reloadDocument className="console-row-form">
            <label htmlFor="inbox-item-state">{t(locale, "console.inbox.filter.state")}</label>
            <select id="inbox-item-state" name="state" defaultValue={item.state}>
              {INBOX_STATES.map((state) => (
                <option key={state} value={state}>
                  {t(locale, `console.inbox.state.${state}`)}
                </option>
              ))}
            </select>
            <Submit intent="state" secondary>{t(locale, "console.inbox.changeState")}</Submit>
          </Form>
          <Form method="post" reloadDocument className="console-row-form">
            <label htmlFor="inbox-item-assignee">{t(locale, "console.inbox.assignee")}</label>
            <select id="inbox-item-assignee" name="assignee_id" defaultValue={item.assigneeId ?? ""}>
              <option value="">{t(locale, "console.inbox.nobody")}</option>
              {team.map((member) => (
                <option key={member.id} value={member.id}>
                  {member.email}
                </option>
              ))}
            </select>
            <Submit intent="assign" secondary>{t(locale, "console.inbox.assign")}</Submit>
          </Form>
        </section>
      ) : (
        <p className="console-notice">{t(locale, "console.inbox.readOnly")}</p>
      )}

      <section aria-labelledby="inbox-notes">
        <h2 id="inbox-notes">{t(locale, "console.inbox.notes")}</h2>
        <p className="field-hint">{t(locale, "console.inbox.notesHint")}</p>
        {notes.length === 0 ? (
          <p>{t(locale, "console.inbox.noNotes")}</p>
        ) : (
          <ol className="inbox-notes">
            {notes.map((note) => (
              <li key={note.id}>
                <p className="inbox-note__body">{note.body}</p>
                <p className="inbox-row__meta">
                  {note.authorEmail}
                  {" · "}
                  <InboxWhen locale={locale} timeZone={timeZone} iso={note.createdAt} />
                </p>
              </li>
            ))}
          </ol>
        )}
        {work ? (
          <Form method="post" reloadDocument>
            <div className="field">
              <label htmlFor="inbox-note">{t(locale, "console.inbox.note")}</label>
              <textarea id="inbox-note" name="body" rows={3} maxLength={4000} required />
            </div>
            <Submit intent="note" secondary>{t(locale, "console.inbox.addNote")}</Submit>
          </Form>
        ) : null}
      </section>
    </main>
  );
}
