// Pieces of the API's request-body schemas that every feature's body shares, their messages naming
// the field as the client sent it. Browser-safe, like the features' api.schemas.ts that use them.
import { z } from "zod";
import { multiLine, singleLine } from "./text";

/**
 * A required string, trimmed, not empty, at most `max` characters: one line unless `lines` says it
 * is free text (security D5: no NUL or other control characters either way).
 */
export const requiredText = (what: string, max: number, lines: "single" | "multi" = "single") => {
  const field = z
    .string({ required_error: `${what} is required`, invalid_type_error: `${what} must be a string` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);
  return lines === "single" ? singleLine(field, what) : multiLine(field, what);
};
