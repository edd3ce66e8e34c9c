// Request bodies of the reminder actions (POST /api/v1/invoices/:id/reminders/pause): validated
// here, documented from the same objects (app/api/openapi/operations.ts).
import { z } from "zod";
import { requiredText as text } from "~/api/body-schemas";
import { calendarDate } from "~/features/invoices/api.schemas";

export const pauseRemindersSchema = z
  .object(
    {
      until: calendarDate("until")
        .optional()
        .openapi({ description: "Reminders may go out again from this date (the supplier's time zone). Left out: until resumed." }),
      reason: text("reason", 500, "multi").optional(),
    },
    { invalid_type_error: "the body must be a JSON object" },
  )
  .strict();

export type PauseRemindersInput = z.output<typeof pauseRemindersSchema>;
