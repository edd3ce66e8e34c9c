// The zod side of input hygiene (security D5, app/domain/text.ts): every single-line text field of
// the API's request schemas goes through `singleLine`, every multi-line one through `multiLine`,
// so a control character is a 422 naming the field instead of a 500 or a header injection.
import type { z } from "zod";
import { cleanTextMessage, isCleanText, isSingleLine, singleLineMessage } from "~/domain/text";

/** Refuses CR, LF, tab, NUL and every other control character in a string field. */
export const singleLine = <T extends z.ZodTypeAny>(schema: T, field: string) =>
  schema.refine((value: unknown) => typeof value !== "string" || isSingleLine(value), singleLineMessage(field)) as Checked<T>;

/** Refuses NUL and other control characters, but allows tab, CR and LF: for free text. */
export const multiLine = <T extends z.ZodTypeAny>(schema: T, field: string) =>
  schema.refine((value: unknown) => typeof value !== "string" || isCleanText(value), cleanTextMessage(field)) as Checked<T>;

/** The schema with one more check: its input and output types unchanged. */
type Checked<T extends z.ZodTypeAny> = z.ZodEffects<T, z.output<T>, z.input<T>>;
