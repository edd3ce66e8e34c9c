// /dev/outbox: every email the app has queued, newest first, for developers (a message opens
// below the list). Without RESEND_API_KEY this is where emails are "delivered". Never in production.
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { outboxEmails } from "~/features/emails/email.server";

const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.app.config.isProduction) throw new Response(null, { status: 404, headers: NO_STORE });
  const emails = await outboxEmails(context.app.db, 200);
  return {
    // A developer page, in English whatever the browser asks for (the root reads this for <html lang>).
    locale: "en" as const,
    delivery: context.app.config.email.resend ? ("resend" as const) : ("outbox" as const),
    emails: emails.map((email) => ({
      id: email.id,
      to: email.toAddress,
      subject: email.subject,
      template: email.template,
      status: email.status,
      createdAt: email.createdAt.toISOString(),
    })),
  };
}

export const headers: HeadersFunction = () => NO_STORE;

export const meta: MetaFunction = () => [{ title: "Outbox (development)" }];

const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, " UTC");

export default function Outbox() {
  const { emails, delivery } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>Outbox (development)</h1>
      <p>
        {delivery === "resend"
          ? "RESEND_API_KEY is set: these emails are also sent through Resend."
          : "RESEND_API_KEY is not set: emails are not sent anywhere, they are delivered here."}{" "}
        Newest first (at most 200); a queued email is rendered and sent by the job worker.
      </p>
      <Outlet />
      {emails.length === 0 ? (
        <p>No emails yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Emails, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Template</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {emails.map((email) => (
              <tr key={email.id}>
                <td>
                  <time dateTime={email.createdAt}>{when(email.createdAt)}</time>
                </td>
                <td>{email.to}</td>
                <td>
                  <Link to={`/dev/outbox/${email.id}`}>{email.subject ?? `${email.id} (not rendered yet)`}</Link>
                </td>
                <td>{email.template}</td>
                <td>{email.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
