// The invoice's due date as a calendar file, /i/<token>/due-date.ics?lang=, linked from the page:
// token-checked like /i/<token>/invoice.pdf (every failure the same bare 404, never cached, nothing
// recorded), in the page's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { shortHash } from "~/platform/logger.server";
import { dueDateCalendarForToken, dueDateCalendarResponse } from "~/features/portal/due-date-calendar.server";

const notFound = () => new Response(null, { status: 404, headers: { "Cache-Control": "private, no-store" } });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const result = await dueDateCalendarForToken(context.app.db, context.app.config, { token, request });
  if (!result.ok) {
    context.app.log.info({ tokenHash: shortHash(token), ip: context.request.ip, reason: result.reason }, "link rejected for the due-date calendar");
    throw notFound();
  }
  return dueDateCalendarResponse(result.calendar);
}
