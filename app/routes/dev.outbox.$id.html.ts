// The HTML part of one outbox email, as sent. Served on its own under a sandboxing CSP: it is
// rendered from what payers typed, so it must never run script or share our origin.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { outboxEmail } from "~/features/emails/email.server";
import { deliveredCopy } from "~/features/emails/email-context.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const email = context.app.config.isProduction ? undefined : await outboxEmail(context.app.db, params.id ?? "");
  if (!email?.html) return new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  const download = new URL(request.url).searchParams.has("download");
  const { html } = await deliveredCopy(context.app.db, context.app.config, email);
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'",
      "Cache-Control": "no-store",
      ...(download ? { "Content-Disposition": `attachment; filename="${email.id}.html"` } : {}),
    },
  });
}
