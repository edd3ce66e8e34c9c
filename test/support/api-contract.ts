// Every answer an integration test gets from /api/ is checked against the generated OpenAPI
// document: the operation is found by method and path template, and its status, Content-Type,
// documented headers and body must be what the document says. An unknown path must be the 404
// problem, a path's unknown method the 405 problem with Allow. Bodies are checked with Ajv in
// JSON Schema 2020-12, the dialect of OpenAPI 3.1 schemas; the validators are compiled once per
// worker (kept on globalThis, which vitest's per-file module isolation does not reset).
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { openApiDocument, type OpenApiDocument } from "~/api/openapi/document.server";

type Header = { required?: boolean; schema?: object };
type Media = { schema?: object };
type ResponseObject = { $ref?: string; description?: string; headers?: Record<string, Header>; content?: Record<string, Media> };
type OperationObject = { operationId?: string; responses?: Record<string, ResponseObject> };
type Route = { template: string; pattern: RegExp; params: number; methods: Record<string, OperationObject> };

/** The document's schemas live under this id; every `#/components/schemas/X` points into it. */
const ROOT = "https://payer-portal.invalid/openapi.json";
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * Ajv in JSON Schema 2020-12 with the generated document's component schemas loaded, and the
 * document with every `#/components/schemas/X` rewritten to point into them, so any schema taken
 * from it (a response's, a request body's, a component's) compiles as it stands.
 */
export function documentSchemas(): { ajv: Ajv2020; document: OpenApiDocument } {
  // One text, the refs rewritten once, so component schemas resolve from any compiled schema.
  const document = JSON.parse(openApiDocument().text.replaceAll('"#/components/schemas/', `"${ROOT}#/$defs/`)) as OpenApiDocument;
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false, strictTuples: false, strictRequired: false });
  addFormats(ajv);
  ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
  ajv.addSchema({ $id: ROOT, $defs: document.components?.schemas ?? {} });
  return { ajv, document };
}

class Contract {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Route[];
  private readonly document: OpenApiDocument;

  constructor() {
    ({ ajv: this.ajv, document: this.document } = documentSchemas());
    this.routes = Object.entries(this.document.paths ?? {})
      .map(([template, item]) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]*")}$`),
        params: (template.match(/\{/g) ?? []).length,
        methods: Object.fromEntries(METHODS.flatMap((method) => (item?.[method] ? [[method, item[method] as OperationObject]] : []))),
      }))
      // A literal segment wins over a parameter: /invoices/import before /invoices/{id}.
      .sort((a, b) => a.params - b.params);
  }

  private validator(key: string, schema: object): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private response(reference: ResponseObject): ResponseObject {
    if (!reference.$ref) return reference;
    const name = reference.$ref.replace("#/components/responses/", "");
    return (this.document.components?.responses?.[name] ?? {}) as ResponseObject;
  }

  /** The ways the answer leaves the document (empty when it keeps to it). */
  async violations(method: string, pathname: string, answer: Response): Promise<{ operation: string; problems: string[] }> {
    const route = this.routes.find((candidate) => candidate.pattern.test(pathname));
    const verb = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
    const operation = route?.methods[verb];
    if (!route) return { operation: `${method} ${pathname} (no such path)`, problems: await this.refusal(answer, 404, "NotFound") };
    if (!operation) {
      const problems = await this.refusal(answer, 405, "MethodNotAllowed");
      const allow = (answer.headers.get("allow") ?? "").toLowerCase().split(/,\s*/).sort().join(",");
      if (answer.status === 405 && allow !== Object.keys(route.methods).sort().join(",")) {
        problems.push(`Allow is "${answer.headers.get("allow")}", the document has ${Object.keys(route.methods).join(", ")}`);
      }
      return { operation: `${method} ${route.template} (no such operation)`, problems };
    }
    const name = `${operation.operationId} (${method} ${route.template})`;
    const declared = operation.responses?.[String(answer.status)];
    if (!declared) {
      const listed = Object.keys(operation.responses ?? {}).join(", ");
      return { operation: name, problems: [`status ${answer.status} is not documented (documented: ${listed}); body: ${(await answer.text()).slice(0, 300)}`] };
    }
    return { operation: name, problems: await this.matches(`${operation.operationId} ${answer.status}`, this.response(declared), answer) };
  }

  private async refusal(answer: Response, status: number, responseName: string): Promise<string[]> {
    if (answer.status !== status) return [`status ${answer.status}, expected ${status}; body: ${(await answer.text()).slice(0, 300)}`];
    return this.matches(responseName, this.response({ $ref: `#/components/responses/${responseName}` }), answer);
  }

  private async matches(key: string, declared: ResponseObject, answer: Response): Promise<string[]> {
    const problems: string[] = [];
    for (const [header, spec] of Object.entries(declared.headers ?? {})) {
      const value = answer.headers.get(header);
      if (value === null) {
        if (spec.required) problems.push(`header ${header} is missing`);
        continue;
      }
      const validate = this.validator(`${key} header ${header}`, spec.schema ?? {});
      if (!validate(value)) problems.push(`header ${header} "${value}" ${this.ajv.errorsText(validate.errors, { dataVar: "" })}`);
    }
    const body = await answer.text();
    if (!declared.content) {
      if (body !== "") problems.push(`a body where the document has none: ${body.slice(0, 200)}`);
      return problems;
    }
    const contentType = (answer.headers.get("content-type") ?? "(none)").split(";")[0]!.trim().toLowerCase();
    const media = declared.content[contentType];
    if (!media) {
      problems.push(`Content-Type ${contentType} is not documented (documented: ${Object.keys(declared.content).join(", ")})`);
      return problems;
    }
    if (!/^application\/([\w.-]+\+)?json$/.test(contentType) || !media.schema) return problems;
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return [...problems, `the body is not JSON: ${body.slice(0, 200)}`];
    }
    const validate = this.validator(`${key} ${contentType}`, media.schema);
    if (!validate(data)) {
      for (const error of validate.errors ?? []) {
        const where = `body${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".")}`;
        const extra = error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : "";
        problems.push(`${where} ${error.message ?? error.keyword}${extra} [${error.schemaPath.replace(`${ROOT}#/$defs/`, "#/components/schemas/")}]`);
      }
    }
    return problems;
  }
}

const shared = globalThis as { apiContract?: Contract };

/**
 * Fails with a readable message when an answer from /api/ leaves the OpenAPI document: the
 * operation, the status, where in the body and which rule. Other paths are not the API's.
 */
export async function expectDocumentedAnswer(method: string, url: string | URL, answer: Response): Promise<void> {
  const { pathname } = new URL(url, "http://localhost");
  if (!pathname.startsWith("/api/")) return;
  shared.apiContract ??= new Contract();
  const { operation, problems } = await shared.apiContract.violations(method, pathname, answer.clone());
  if (problems.length > 0) {
    throw new Error(`The answer leaves the OpenAPI document — ${operation}, status ${answer.status}:\n  ${problems.join("\n  ")}`);
  }
}
