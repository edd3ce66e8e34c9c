// One email of the development outbox: its facts and plain-text part. The HTML part is served
// apart (dev.outbox.$id.html.ts) under a sandboxing CSP, never mixed into this page.
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { outboxEmail } from "~/features/emails/email.server";
import { deliveredCopy } from "~/features/emails/email-context.server";

const NO_STORE = { "Cache-Control": "no-store" };
const notFound = () => new Response(null, { status: 404, headers: NO_STORE });

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (context.app.config.isProduction) throw notFound();
  const email = await outboxEmail(context.app.db, params.id ?? "");
  if (!email) throw notFound();
  const delivered = await deliveredCopy(context.app.db, context.app.config, email);
  return {
    locale: "en" as const,
    id: email.id,
    to: email.toAddress,
    subject: email.subject,
    template: email.template,
    language: email.locale,
    status: email.status,
    transport: email.transport,
    providerId: email.providerId,
    attempts: email.attempts,
    error: email.error,
    idempotencyKey: email.idempotencyKey,
    invoiceId: email.invoiceId,
    createdAt: email.createdAt.toISOString(),
    sentAt: email.sentAt?.toISOString() ?? null,
    text: delivered.text,
    hasHtml: email.html !== null,
    props: JSON.stringify(email.props, null, 2),
  };
}

export const headers: HeadersFunction = () => NO_STORE;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.subject ?? data.id} – Outbox (development)` : "Outbox (development)" },
];

function Fact({ label, value }: { label: string; value: string | number | null }) {
  if (value === null || value === "") return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export default function OutboxEmail() {
  const email = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="email-subject">
      <h2 id="email-subject">{email.subject ?? `${email.id} (not rendered yet)`}</h2>
      <dl>
        <Fact label="To" value={email.to} />
        <Fact label="Template" value={`${email.template} (${email.language})`} />
        <Fact label="Status" value={email.transport ? `${email.status} via ${email.transport}` : email.status} />
        <Fact label="Provider id" value={email.providerId} />
        <Fact label="Attempts" value={email.attempts} />
        <Fact label="Last error" value={email.error} />
        <Fact label="Queued" value={email.createdAt} />
        <Fact label="Sent" value={email.sentAt} />
        <Fact label="Invoice" value={email.invoiceId} />
        <Fact label="Idempotency key" value={email.idempotencyKey} />
        <Fact label="Id" value={email.id} />
      </dl>
      {email.hasHtml ? (
        <p>
          HTML part: <a href={`/dev/outbox/${email.id}/html`}>view</a> (in this site, inline styles are blocked by its
          CSP) or <a href={`/dev/outbox/${email.id}/html?download=1`}>download</a> to open it with its styles.
        </p>
      ) : (
        <p>Not rendered yet: the job worker renders and sends queued emails.</p>
      )}
      {email.text ? (
        <>
          <h3>Plain text</h3>
          <pre>{email.text}</pre>
        </>
      ) : null}
      <details>
        <summary>Props</summary>
        <pre>{email.props}</pre>
      </details>
    </section>
  );
}
