// /docs/api: the API reference for suppliers' developers, rendered on the server from the same
// OpenAPI document /api/v1/openapi.json serves. Plain HTML (no JavaScript), English only: the
// audience reads the API's English field names anyway.
import type { HeadersFunction, LinksFunction, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { openApiDocument } from "~/api/openapi/document.server";
import { referenceSections, type Field, type ReferenceDocument, type ReferenceOperation } from "~/api/openapi/reference";
import docsHref from "~/styles/docs-api.css";

export const handle = { hydrate: false };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: docsHref }];

export function loader() {
  const document = openApiDocument().document as ReferenceDocument;
  return {
    locale: "en" as const,
    title: document.info.title,
    description: document.info.description ?? "",
    sections: referenceSections(document),
  };
}

export const headers: HeadersFunction = () => ({ "Cache-Control": "public, max-age=300" });

export const meta: MetaFunction = () => [{ title: "API reference — Payer Portal" }];

function Fields({ fields, label }: { fields: Field[]; label: string }) {
  if (fields.length === 0) return null;
  return (
    <ul className="api-fields" aria-label={label}>
      {fields.map((field) => (
        <li key={field.name}>
          <code>{field.name}</code> <span className="api-type">{field.type}</span>
          {field.required ? <strong className="api-required"> required</strong> : null}
          {field.notes ? <span className="api-notes"> — {field.notes}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Operation({ operation }: { operation: ReferenceOperation }) {
  return (
    <section className="api-op" aria-labelledby={operation.id}>
      <h3 id={operation.id}>
        <span className={`api-method api-method--${operation.method.toLowerCase()}`}>{operation.method}</span>{" "}
        <code className="api-path">{operation.path}</code>
      </h3>
      <p>{operation.summary}</p>
      {operation.description ? <p className="api-notes">{operation.description}</p> : null}
      {operation.auth ? null : <p className="api-notes">No API key needed.</p>}
      {operation.parameters.length > 0 ? (
        <>
          <h4>Parameters</h4>
          <ul className="api-fields">
            {operation.parameters.map((parameter) => (
              <li key={`${parameter.in}-${parameter.name}`}>
                <code>{parameter.name}</code> <span className="api-type">{parameter.type}</span>{" "}
                <span className="api-in">({parameter.in})</span>
                {parameter.required ? <strong className="api-required"> required</strong> : null}
                {parameter.notes ? <span className="api-notes"> — {parameter.notes}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {operation.body ? (
        <>
          <h4>
            Request body{operation.body.required ? "" : " (optional)"}: <code>{operation.body.contentType}</code>
            {operation.body.schema ? <> · {operation.body.schema}</> : null}
          </h4>
          <Fields fields={operation.body.fields} label="Body fields" />
        </>
      ) : null}
      <h4>Responses</h4>
      <ul className="api-responses">
        {operation.responses.map((response) => (
          <li key={response.status}>
            <strong>{response.status}</strong> {response.description}
            {response.contentTypes.length > 0 ? (
              <span className="api-notes">
                {" "}
                ({response.contentTypes.join(", ")}
                {response.schema ? `: ${response.schema}` : ""})
              </span>
            ) : null}
            <Fields fields={response.fields} label={`${response.status} response fields`} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function ApiReference() {
  const { title, description, sections } = useLoaderData<typeof loader>();
  return (
    <main className="page api-doc">
      <h1>{title} reference</h1>
      <p>{description}</p>
      <p>
        Send your API key as <code>Authorization: Bearer &lt;key&gt;</code>. POST requests take an optional{" "}
        <code>Idempotency-Key</code>. The machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>{" "}
        (OpenAPI 3.1).
      </p>
      <nav aria-label="Sections">
        <ul className="api-toc">
          {sections.map((section) => (
            <li key={section.tag}>
              <a href={`#${slug(section.tag)}`}>{section.tag}</a>
            </li>
          ))}
        </ul>
      </nav>
      {sections.map((section) => (
        <section key={section.tag} aria-labelledby={slug(section.tag)}>
          <h2 id={slug(section.tag)}>{section.tag}</h2>
          {section.operations.map((operation) => (
            <Operation key={operation.id} operation={operation} />
          ))}
        </section>
      ))}
    </main>
  );
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
