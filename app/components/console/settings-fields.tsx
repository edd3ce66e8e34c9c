// Pieces of the settings forms (/app/settings/company, /app/settings/reminders): an error summary
// that links to each field, a labelled select, a checkbox, and how a field's refusal reads in the
// user's language. Plain HTML: the forms work without JavaScript.
import type { ReactNode } from "react";
import { t, type Locale, type MessageKey } from "~/i18n";

export type FieldProblem = { key: MessageKey; params?: Record<string, string | number>; detail?: string };

/** A refusal as the user reads it; the service's English only as a detail when no message of ours fits. */
export function problemText(locale: Locale, problem: FieldProblem | undefined): string | null {
  if (!problem) return null;
  const message = t(locale, problem.key, problem.params);
  return problem.detail ? `${message} (${problem.detail})` : message;
}

/** At the top of a refused form: what to fix, each a link to its field. */
export function ErrorSummary(props: { locale: Locale; items: { id: string; label: string; message: string }[] }) {
  if (props.items.length === 0) return null;
  return (
    <div className="console-notice console-notice--error" role="alert" aria-labelledby="error-summary-title">
      <p id="error-summary-title">{t(props.locale, "console.settings.errorSummary")}</p>
      <ul>
        {props.items.map((item) => (
          <li key={item.id}>
            <a href={`#${item.id}`}>{item.label}</a>: {item.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function SelectField(props: { name: string; label: string; error?: string | null; hint?: string; defaultValue?: string; children: ReactNode }) {
  const id = `field-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <span className="field-hint" id={`${id}-hint`}>{props.hint}</span> : null}
      <select
        id={id}
        name={props.name}
        defaultValue={props.defaultValue}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].join(" ").trim() || undefined}
      >
        {props.children}
      </select>
      {props.error ? <span className="field-error" id={`${id}-error`}>{props.error}</span> : null}
    </div>
  );
}

export function Checkbox(props: { name: string; value: string; label: string; id?: string; defaultChecked?: boolean; type?: "checkbox" | "radio" }) {
  const id = props.id ?? `field-${props.name}-${props.value}`;
  return (
    <label className="checkbox" htmlFor={id}>
      <input id={id} type={props.type ?? "checkbox"} name={props.name} value={props.value} defaultChecked={props.defaultChecked} />
      <span>{props.label}</span>
    </label>
  );
}
