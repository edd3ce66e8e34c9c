// The invoice's due date as a calendar file, /i/<token>/due-date.ics?lang=, linked from the page:
// token-checked like /i/<token>/invoice.pdf (every failure the same bare 404, never cached, nothing
// recorded), in the page's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openLinkedInvoice } from "~/features/links/linked-invoice.server";
import { dueDateCalendarForToken, dueDateCalendarResponse } from "~/features/portal/due-date-calendar.server";

export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args;
  const { calendar } = await openLinkedInvoice(args, "link rejected for the due-date calendar", (token) =>
    dueDateCalendarForToken(context.app.db, context.app.config, { token, request }),
  );
  return dueDateCalendarResponse(calendar);
}
