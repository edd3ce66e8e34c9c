// A form as the page actions read it, and what they answer when it changes nothing: shared by
// the form dispatcher (form-action) and every page's handlers (invoice page, campaign page).
import type { MessageKey } from "~/i18n";

/** Every text field of the form, by name, in the order sent (checkbox groups have several). */
export type FormFields = Map<string, string[]>;

export type FieldErrors = Record<string, MessageKey>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Why an action changed nothing, shown in its form: 409 for the invoice's state, 422 for input. */
export type Refusal = { status: 409 | 422; formError?: MessageKey; errors?: FieldErrors };

export function one(fields: FormFields, name: string): string {
  return fields.get(name)?.[0] ?? "";
}

/** What the payer typed, to fill the form in again after an error (without JavaScript too). */
export function echoValues(fields: FormFields): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [name, list] of fields) {
    if (name === "submission_id" || name === "intent") continue;
    values[name] = name === "lines" ? list.map((value) => value.slice(0, 20)) : (list[0] ?? "").slice(0, 5000);
  }
  return values;
}
