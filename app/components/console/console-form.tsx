// Pieces every console page's forms share: a labelled field, an intent button, an error line.
// Plain forms posting to their own page: they work without JavaScript (security C6).
import type { ReactNode } from "react";

export function Field(props: { name: string; label: string; id?: string; type?: string; autoComplete?: string; required?: boolean; error?: string | null; hint?: string; defaultValue?: string; inputMode?: "numeric" | "email" | "text" }) {
  // Two forms on a page may share a field name; each gives its own id then.
  const id = props.id ?? `field-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <span className="field-hint" id={`${id}-hint`}>{props.hint}</span> : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        required={props.required}
        defaultValue={props.defaultValue}
        inputMode={props.inputMode}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].join(" ").trim() || undefined}
      />
      {props.error ? <span className="field-error" id={`${id}-error`}>{props.error}</span> : null}
    </div>
  );
}

export function Submit({ intent, children, secondary }: { intent: string; children: ReactNode; secondary?: boolean }) {
  return (
    <button className={secondary ? "button button--secondary" : "button"} type="submit" name="intent" value={intent}>
      {children}
    </button>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "error" }) {
  return (
    <p className={`console-notice console-notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
