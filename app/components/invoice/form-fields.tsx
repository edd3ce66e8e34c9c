// Plain HTML form pieces for the payer's actions: they work without JavaScript, and an error is
// announced with the field it belongs to (aria-invalid + aria-describedby).
import { createContext, useContext, type ReactNode } from "react";
import { t, type Locale, type MessageKey } from "~/i18n";
import type { PayerActionData } from "~/platform/forms/form-action.server";

/** One form on the page: its key (as the action names it), its errors and what was typed. */
export type FormState = {
  key: string;
  /** A prefix for element ids, unique on the page. */
  idPrefix: string;
  errors: Record<string, MessageKey>;
  formError: MessageKey | null;
  values: Record<string, string | string[]> | null;
  submissionId: string;
  locale: Locale;
};

export function formState(
  key: string,
  submissionIds: Record<string, string>,
  actionData: PayerActionData | undefined,
  locale: Locale,
): FormState {
  const mine = actionData?.form === key ? actionData : undefined;
  return {
    key,
    idPrefix: key.replace(/[^A-Za-z0-9]+/g, "-"),
    errors: mine?.errors ?? {},
    formError: mine?.formError ?? null,
    values: mine?.values ?? null,
    submissionId: submissionIds[key] ?? "",
    locale,
  };
}

export const hasErrors = (form: FormState) => form.formError !== null || Object.keys(form.errors).length > 0;

/** What to show in a field: what the payer just typed (after an error), else the stored value. */
export function valueOf(form: FormState, name: string, stored: string | null | undefined = ""): string {
  const typed = form.values?.[name];
  if (typed !== undefined) return Array.isArray(typed) ? (typed[0] ?? "") : typed;
  return stored ?? "";
}

/**
 * Where the page's forms post: the page's own path (keeping `?lang=`, never a `?done=` notice of
 * an earlier action), as a query-only relative URL so the page's HTML never repeats the token in
 * its path. Without it (previews, unit tests) a form posts to the current URL.
 */
const FormTargetContext = createContext("");
export const FormTargetProvider = FormTargetContext.Provider;

/** The page's own URL for its forms: `?lang=…` when the URL names a language, else an empty query. */
export function formTarget(search: string): string {
  const lang = new URLSearchParams(search).get("lang");
  return lang === "sv" || lang === "en" ? `?lang=${lang}` : "?";
}

export const formId = (form: FormState) => `${form.idPrefix}-form`;

export function PayerForm(props: {
  form: FormState;
  intent: string;
  multipart?: boolean;
  hidden?: Record<string, string>;
  className?: string;
  /**
   * False for a form whose success is a redirect elsewhere (the provider's checkout): a fragment
   * in the posted URL would travel on with that redirect.
   */
  land?: boolean;
  children: ReactNode;
}) {
  const { form, intent } = props;
  const target = useContext(FormTargetContext);
  const errorCount = Object.keys(form.errors).length;
  const id = formId(form);
  // A refused form is answered with the page again: the fragment lands the browser at this form,
  // whose error summary is its first visible line.
  const action = target ? (props.land === false ? target : `${target}#${id}`) : undefined;
  return (
    <form
      id={id}
      action={action}
      method="post"
      encType={props.multipart ? "multipart/form-data" : "application/x-www-form-urlencoded"}
      className={`payer-form ${props.className ?? ""}`.trim()}
      aria-describedby={hasErrors(form) ? `${form.idPrefix}-alert` : undefined}
    >
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="submission_id" value={form.submissionId} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {hasErrors(form) && (
        <p id={`${form.idPrefix}-alert`} className="form-alert" role="alert">
          {form.formError ? t(form.locale, form.formError) : null}
          {form.formError && errorCount > 0 ? " " : null}
          {errorCount > 0 ? t(form.locale, "actions.errorSummary") : null}
        </p>
      )}
      {props.children}
    </form>
  );
}

type FieldProps = {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
};

function describedBy(form: FormState, name: string, hint?: string) {
  const ids = [hint ? `${form.idPrefix}-${name}-hint` : "", form.errors[name] ? `${form.idPrefix}-${name}-error` : ""];
  return ids.filter(Boolean).join(" ") || undefined;
}

/** The attributes every single control shares: its id and name, and its hint/error wiring. */
function controlAttributes(form: FormState, name: string, hint?: string) {
  return {
    id: `${form.idPrefix}-${name}`,
    name,
    "aria-invalid": form.errors[name] ? true : undefined,
    "aria-describedby": describedBy(form, name, hint),
  };
}

function FieldMessages({ form, name, hint }: { form: FormState; name: string; hint?: string }) {
  const error = form.errors[name];
  return (
    <>
      {hint && <span id={`${form.idPrefix}-${name}-hint`} className="field-hint">{hint}</span>}
      {error && <span id={`${form.idPrefix}-${name}-error`} className="field-error">{t(form.locale, error)}</span>}
    </>
  );
}

/** One control in its frame: the label, the hint and error it is described by, then the control. */
function Field({ form, name, label, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`${form.idPrefix}-${name}`}>{label}</label>
      <FieldMessages form={form} name={name} hint={hint} />
      {children}
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    type?: "text" | "email" | "tel" | "date";
    defaultValue?: string | null;
    autoComplete?: string;
    multiline?: boolean;
    required?: boolean;
    maxLength?: number;
    /** The phone keyboard to show, e.g. "decimal" for an amount. */
    inputMode?: "decimal" | "numeric";
    /** For dates: the range the browser's picker offers (the server checks it again). */
    min?: string;
    max?: string;
  },
) {
  const { form, name, label, hint } = props;
  const common = {
    ...controlAttributes(form, name, hint),
    defaultValue: valueOf(form, name, props.defaultValue),
    required: props.required,
    maxLength: props.maxLength,
  };
  return (
    <Field form={form} name={name} label={label} hint={hint}>
      {props.multiline ? (
        <textarea {...common} rows={4} />
      ) : (
        <input
          {...common}
          type={props.type ?? "text"}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          min={props.min}
          max={props.max}
        />
      )}
    </Field>
  );
}

export function SelectField(
  props: FieldProps & { options: { value: string; label: string }[]; defaultValue?: string | null; required?: boolean },
) {
  const { form, name, label, hint } = props;
  return (
    <Field form={form} name={name} label={label} hint={hint}>
      <select {...controlAttributes(form, name, hint)} defaultValue={valueOf(form, name, props.defaultValue)} required={props.required}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>{option.label}</option>
        ))}
      </select>
    </Field>
  );
}

/** A group of checkboxes (e.g. invoice lines) with a legend; its error names the group. */
export function CheckboxGroup(props: FieldProps & { options: { value: string; label: string }[] }) {
  const { form, name, label, hint } = props;
  const typed = form.values?.[name];
  const checked = new Set(Array.isArray(typed) ? typed : typed ? [typed] : []);
  return (
    <fieldset className="field field--group" aria-describedby={describedBy(form, name, hint)}>
      <legend>{label}</legend>
      <FieldMessages form={form} name={name} hint={hint} />
      {props.options.map((option) => {
        const id = `${form.idPrefix}-${name}-${option.value}`;
        return (
          <div key={option.value} className="checkbox">
            <input type="checkbox" id={id} name={name} value={option.value} defaultChecked={checked.has(option.value)} />
            <label htmlFor={id}>{option.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

export function FileField(props: FieldProps & { accept: string }) {
  const { form, name, label, hint } = props;
  return (
    <Field form={form} name={name} label={label} hint={hint}>
      <input {...controlAttributes(form, name, hint)} type="file" accept={props.accept} />
    </Field>
  );
}
