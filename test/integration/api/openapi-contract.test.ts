// Contract tests: every route module under app/routes/api.v1.* is in the OpenAPI document with
// exactly the methods it accepts, and a representative call of every documented operation answers
// a status the document lists, with a 2xx JSON body that matches the documented schema (parsed
// with the zod schema the document's component was generated from).
import { readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { OpenApiGeneratorV31, OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { buildOpenApiDocument } from "~/api/openapi/document.server";
import { OPERATIONS, type Operation } from "~/api/openapi/operations";
import { createApiKey } from "~/api/db/api-keys.server";
import { createSupplier } from "~/features/suppliers/db/suppliers.server";
import { drainJobs } from "~/platform/jobs/queue.server";
import { CAMPAIGN_QUEUE_JOB } from "~/features/campaigns/campaigns.server";
import { bgmaxFile } from "../bank-files/bank-file-helpers";
import { erpInvoicePdf } from "../../support/sample-pdfs";

type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
};

const ROUTES_DIR = path.resolve(import.meta.dirname, "../../../app/routes");
const moduleOf = (file: string): Promise<RouteModule> => import(/* @vite-ignore */ path.join(ROUTES_DIR, file));

/** Remix flat routes: dots are slashes, `$id` is a parameter, `[.]` a literal dot. */
export function pathOfRouteFile(file: string): string {
  const segments = file.replace(/\.tsx?$/, "").replace(/\[\.\]/g, "\0").split(".");
  return `/${segments.map((segment) => (segment.startsWith("$") ? `{${segment.slice(1)}}` : segment)).join("/").replace(/\0/g, ".")}`;
}

const routeFiles = readdirSync(ROUTES_DIR).filter((file) => /^api\.v1\..+\.tsx?$/.test(file));
const doc = buildOpenApiDocument();
const documented = new Map<string, Operation[]>();
for (const operation of OPERATIONS) documented.set(operation.path, [...(documented.get(operation.path) ?? []), operation]);

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);

describe("route files and documented operations", () => {
  it("maps file names to paths", () => {
    expect(pathOfRouteFile("api.v1.invoices.$id.pay-link.$image.ts")).toBe("/api/v1/invoices/{id}/pay-link/{image}");
    expect(pathOfRouteFile("api.v1.openapi[.]json.ts")).toBe("/api/v1/openapi.json");
  });

  it("documents every route file, and every documented path has a route file", () => {
    const filePaths = routeFiles.map(pathOfRouteFile).sort();
    expect(routeFiles.length).toBeGreaterThan(30);
    expect([...documented.keys()].sort()).toEqual(filePaths);
  });

  it.each(routeFiles)("%s accepts exactly the documented methods", async (file) => {
    const route = await moduleOf(file);
    const operations = documented.get(pathOfRouteFile(file)) ?? [];
    // Every route answers an unknown method with 405 and the methods it does accept in Allow.
    const refused = await callRoute(route.action as never, context(), { method: "PROPFIND", path: "/" });
    expect(refused.status).toBe(405);
    const allowed = (refused.headers.get("allow") ?? "").split(/,\s*/).map((method) => method.toLowerCase()).sort();
    expect(operations.map((operation) => operation.method).sort()).toEqual(allowed);
    // …and a documented method reaches the route (no key: 401; the document itself needs none).
    for (const operation of operations) {
      const handler = operation.method === "get" ? route.loader : route.action;
      expect(handler, `${operation.method} ${file}`).toBeTypeOf("function");
      const response = await callRoute(handler as never, context(), { method: operation.method.toUpperCase(), path: "/" });
      expect(response.status, `${operation.method} ${file}`).toBe(operation.auth === false ? 200 : 401);
    }
  });
});

// ---- Representative calls ----

type Call = { method?: string; path: string; params?: Record<string, string>; json?: unknown; body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> };
type Fixture = {
  headers: Record<string, string>; invoiceId: string; otherInvoiceId: string; customerId: string; contactId: string; endpointId: string; paymentId: string;
  /** Started and fanned out (its report lists a customer with an email); the draft is started and cancelled by the calls. */
  campaignId: string; draftCampaignId: string;
  /** A supplier's own invoice PDF to upload. */
  pdf: Uint8Array<ArrayBuffer>;
};

const LINES = {
  lines: [{ description: "Consulting", quantity: 1, unit: "h", unit_price: 10_000, vat_rate: 25, net: 10_000, vat: 2_500 }],
  total_net: 10_000,
  total_vat: 2_500,
  total: 12_500,
};
let sequence = 0;
const invoiceBody = (customer: Record<string, unknown>) => ({
  number: `C-${++sequence}`,
  currency: "SEK",
  issue_date: "2026-03-01",
  due_date: "2026-03-31",
  customer,
  ...LINES,
});

/** Two months ahead: a deadline the API accepts whenever the tests run. */
const CAMPAIGN_DEADLINE = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

/** One call per operationId; ids come from the fixture (unknown ids are a 404 the document lists). */
const CALLS: Record<string, (f: Fixture) => Call> = {
  getOpenApiDocument: () => ({ path: "/api/v1/openapi.json" }),
  listInvoices: () => ({ path: "/api/v1/invoices?limit=2&status=open" }),
  createInvoice: (f) => ({ method: "POST", path: "/api/v1/invoices", json: invoiceBody({ id: f.customerId }), headers: { "Idempotency-Key": "contract-1" } }),
  getInvoice: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}`, params: { id: f.invoiceId } }),
  updateInvoice: (f) => ({ method: "PATCH", path: `/api/v1/invoices/${f.otherInvoiceId}`, params: { id: f.otherInvoiceId }, json: { due_date: "2026-04-15" } }),
  cancelInvoice: (f) => ({ method: "POST", path: `/api/v1/invoices/${f.otherInvoiceId}/cancel`, params: { id: f.otherInvoiceId }, json: { reason: "Duplicate" } }),
  createCreditNote: (f) => ({ method: "POST", path: `/api/v1/invoices/${f.invoiceId}/credit-notes`, params: { id: f.invoiceId }, json: { number: `CN-${++sequence}` } }),
  importInvoices: () => ({
    method: "POST",
    path: "/api/v1/invoices/import",
    headers: { "content-type": "text/csv" },
    body: "number;customer_external_id;customer_name;currency;issue_date;due_date;description;quantity;unit_price;vat_rate\nI-1;K-9;Kund AB;SEK;2026-03-01;2026-03-31;Work;1;100;25\n",
  }),
  sendInvoice: (f) => ({ method: "POST", path: `/api/v1/invoices/${f.invoiceId}/send`, params: { id: f.invoiceId }, json: { message: "Hej" } }),
  reissuePortalLink: (f) => ({ method: "POST", path: `/api/v1/invoices/${f.invoiceId}/links`, params: { id: f.invoiceId } }),
  getPayLink: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/pay-link`, params: { id: f.invoiceId } }),
  getPayLinkQr: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/pay-link/qr.svg?size=256`, params: { id: f.invoiceId, image: "qr.svg" } }),
  getPaymentInstructions: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/payment-instructions`, params: { id: f.invoiceId } }),
  getPaymentQr: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/qr/uqr.png`, params: { id: f.invoiceId, kind: "uqr.png" } }),
  getInvoicePdf: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/pdf?lang=en`, params: { id: f.invoiceId } }),
  uploadInvoiceDocument: (f) => ({
    method: "PUT", path: `/api/v1/invoices/${f.invoiceId}/document`, params: { id: f.invoiceId },
    headers: { "content-type": "application/pdf" }, body: f.pdf,
  }),
  getInvoiceDocument: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/document?stamped=true`, params: { id: f.invoiceId } }),
  listInvoiceEvents: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/events`, params: { id: f.invoiceId } }),
  listInvoiceReminders: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/reminders`, params: { id: f.invoiceId } }),
  listDeliveries: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/deliveries`, params: { id: f.invoiceId } }),
  addDeliveries: (f) => ({ method: "POST", path: `/api/v1/invoices/${f.invoiceId}/deliveries`, params: { id: f.invoiceId }, json: { deliveries: [{ description: "Pallet 1", delivered_on: "2026-03-02" }] } }),
  listDisputes: () => ({ path: "/api/v1/disputes?status=open" }),
  resolveDispute: (f) => ({
    method: "POST",
    path: `/api/v1/invoices/${f.invoiceId}/disputes/dsp_unknown/resolve`,
    params: { id: f.invoiceId, disputeId: "dsp_unknown" },
    json: { status: "rejected", message: "Delivered as agreed." },
  }),
  listPayments: () => ({ path: "/api/v1/payments?provider=manual" }),
  getPayment: (f) => ({ path: `/api/v1/payments/${f.paymentId}`, params: { id: f.paymentId } }),
  getPaymentReceiptPdf: (f) => ({ path: `/api/v1/payments/${f.paymentId}/receipt.pdf?lang=en`, params: { id: f.paymentId } }),
  listInvoicePayments: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/payments`, params: { id: f.invoiceId } }),
  recordPayment: (f) => ({ method: "POST", path: `/api/v1/invoices/${f.invoiceId}/payments`, params: { id: f.invoiceId }, json: { amount: 100, currency: "SEK", method: "cash" } }),
  importBankFile: () => ({
    method: "POST",
    path: "/api/v1/bank-files",
    headers: { "content-type": "text/plain" },
    // The fixture supplier's bankgiro; an OCR no invoice has: the report flags it unmatched.
    body: bgmaxFile({ bankgiro: "5050-1055", date: "2026-03-20", payments: [{ refs: ["123455"], amount: 10_000, serial: 1 }] }).toString("latin1"),
  }),
  listPaymentAccounts: () => ({ path: "/api/v1/payment-accounts" }),
  getPaymentAccount: () => ({ path: "/api/v1/payment-accounts/stripe", params: { provider: "stripe" } }),
  setPaymentAccount: () => ({
    method: "PUT",
    path: "/api/v1/payment-accounts/stripe",
    params: { provider: "stripe" },
    json: { secret_key: "sk_test_abcdefgh12345678", webhook_secret: "whsec_abcdefgh12345678" },
  }),
  removePaymentAccount: () => ({ method: "DELETE", path: "/api/v1/payment-accounts/adyen", params: { provider: "adyen" } }),
  listCustomers: () => ({ path: "/api/v1/customers?limit=5" }),
  createCustomer: () => ({ method: "POST", path: "/api/v1/customers", json: { external_id: `K-${++sequence}`, name: "Kund AB", language: "sv" } }),
  getCustomer: (f) => ({ path: `/api/v1/customers/${f.customerId}`, params: { id: f.customerId } }),
  updateCustomer: (f) => ({ method: "PATCH", path: `/api/v1/customers/${f.customerId}`, params: { id: f.customerId }, json: { org_number: null } }),
  listContacts: (f) => ({ path: `/api/v1/customers/${f.customerId}/contacts`, params: { id: f.customerId } }),
  addContact: (f) => ({ method: "POST", path: `/api/v1/customers/${f.customerId}/contacts`, params: { id: f.customerId }, json: { name: "Per Persson", email: "per@kund.example" } }),
  getContact: (f) => ({ path: "/", params: { id: f.customerId, contactId: f.contactId } }),
  updateContact: (f) => ({ method: "PATCH", path: "/", params: { id: f.customerId, contactId: f.contactId }, json: { invoice_reference: "PO-2" } }),
  listEmailSuppressions: () => ({ path: "/api/v1/email-suppressions" }),
  getEmailSuppression: () => ({ path: "/", params: { address: "nobody@example.com" } }),
  liftEmailSuppression: () => ({ method: "DELETE", path: "/", params: { address: "nobody@example.com" } }),
  listWebhookEndpoints: () => ({ path: "/api/v1/webhook-endpoints" }),
  createWebhookEndpoint: () => ({ method: "POST", path: "/api/v1/webhook-endpoints", json: { url: "https://erp.example.com/hooks", event_types: ["invoice.confirmed"] } }),
  getWebhookEndpoint: (f) => ({ path: "/", params: { id: f.endpointId } }),
  updateWebhookEndpoint: (f) => ({ method: "PATCH", path: "/", params: { id: f.endpointId }, json: { enabled: false } }),
  removeWebhookEndpoint: () => ({ method: "DELETE", path: "/", params: { id: "whe_unknown" } }),
  listWebhookDeliveries: (f) => ({ path: "/?limit=10", params: { id: f.endpointId } }),
  replayWebhookDelivery: (f) => ({ method: "POST", path: "/", params: { id: f.endpointId, deliveryId: "whd_unknown" } }),
  listCampaigns: () => ({ path: "/api/v1/campaigns?limit=5" }),
  createCampaign: (f) => ({
    method: "POST",
    path: "/api/v1/campaigns",
    json: { name: "Kontaktuppdatering 2026", audience: { customer_ids: [f.customerId] }, message: "Stämmer era uppgifter?", deadline: CAMPAIGN_DEADLINE },
    headers: { "Idempotency-Key": `contract-campaign-${++sequence}` },
  }),
  getCampaign: (f) => ({ path: "/?limit=10", params: { id: f.campaignId } }),
  startCampaign: (f) => ({ method: "POST", path: "/", params: { id: f.draftCampaignId } }),
  cancelCampaign: (f) => ({ method: "POST", path: "/", params: { id: f.draftCampaignId } }),
  exportCampaignAnswers: (f) => ({ path: "/", params: { id: f.campaignId } }),
  getSupplier: () => ({ path: "/api/v1/supplier" }),
  updateSupplier: () => ({ method: "PATCH", path: "/api/v1/supplier", json: { brand_color: "#1A5FB4" } }),
};

function routeFileOf(operation: Operation): string {
  const file = routeFiles.find((candidate) => pathOfRouteFile(candidate) === operation.path);
  if (!file) throw new Error(`no route file for ${operation.path}`);
  return file;
}

async function call(operation: Operation, fixture: Fixture, overrides: Partial<Call> = {}): Promise<Response> {
  const route = await moduleOf(routeFileOf(operation));
  const spec = { ...CALLS[operation.operationId]!(fixture), ...overrides };
  const handler = operation.method === "get" ? route.loader : route.action;
  return callRoute(handler as never, context(), {
    method: spec.method ?? operation.method.toUpperCase(),
    path: spec.path,
    params: spec.params ?? {},
    headers: { ...(operation.auth === false ? {} : fixture.headers), ...spec.headers },
    ...(spec.json !== undefined ? { json: spec.json } : {}),
    ...(spec.body !== undefined ? { body: spec.body } : {}),
  });
}

async function jsonOf(response: Response): Promise<{ id: string } & Record<string, unknown>> {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as { id: string } & Record<string, unknown>;
}

describe("every operation answers what the document says", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    const db = database.get().db;
    const supplier = await createSupplier(db, { name: "Kontrakt AB", bankgiro: "5050-1055", swishNumber: "1231181189" });
    const key = await createApiKey(db, supplier.id);
    const base: Fixture = {
      headers: { authorization: `Bearer ${key.key}` },
      invoiceId: "", otherInvoiceId: "", customerId: "", contactId: "", endpointId: "", paymentId: "", campaignId: "", draftCampaignId: "",
      pdf: new Uint8Array(await erpInvoicePdf({ pages: 1 })),
    };
    const byId = (id: string) => OPERATIONS.find((operation) => operation.operationId === id)!;
    const customer = await jsonOf(await call(byId("createCustomer"), base));
    base.customerId = customer.id;
    base.contactId = (await jsonOf(await call(byId("addContact"), base))).id;
    base.invoiceId = (await jsonOf(await call(byId("createInvoice"), base, { headers: {} }))).id;
    base.otherInvoiceId = (await jsonOf(await call(byId("createInvoice"), base, { headers: {} }))).id;
    base.endpointId = (await jsonOf(await call(byId("createWebhookEndpoint"), base))).id;
    base.paymentId = (await jsonOf(await call(byId("recordPayment"), base))).id;
    base.campaignId = (await jsonOf(await call(byId("createCampaign"), base))).id;
    base.draftCampaignId = (await jsonOf(await call(byId("createCampaign"), base))).id;
    await jsonOf(await call(byId("startCampaign"), base, { params: { id: base.campaignId } }));
    expect(await drainJobs(context().app, { names: [CAMPAIGN_QUEUE_JOB] })).toBe(1);
    fixture = base;
  });

  it("has a representative call for every documented operation", () => {
    expect(Object.keys(CALLS).sort()).toEqual(OPERATIONS.map((operation) => operation.operationId).sort());
  });

  it.each(OPERATIONS.map((operation) => [operation.operationId, operation] as const))("%s", async (_id, operation) => {
    const response = await call(operation, fixture);
    const documentedResponses = doc.paths?.[operation.path]?.[operation.method]?.responses ?? {};
    const text = await response.clone().text();
    expect(Object.keys(documentedResponses), `${response.status}: ${text.slice(0, 300)}`).toContain(String(response.status));
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!;
    if (response.status >= 400) {
      expect(contentType).toBe("application/problem+json");
      return;
    }
    const success = operation.success.find((candidate) => candidate.status === response.status && (candidate.contentType ?? "application/json") === contentType);
    expect(success, `${response.status} ${contentType}`).toBeDefined();
    if (response.status === 204 || contentType !== "application/json") return;
    const parsed = success!.schema.safeParse(await response.json());
    expect(parsed.success ? [] : parsed.error.issues, operation.operationId).toEqual([]);
    // The document's schema for this answer was generated from this very zod schema.
    const inDocument = documentedResponses[String(response.status)]?.content?.["application/json"]?.schema as { $ref?: string };
    expect(inDocument).toEqual(success!.schemaName ? { $ref: `#/components/schemas/${success!.schemaName}` } : expect.anything());
    if (success!.schemaName) {
      expect(doc.components?.schemas?.[success!.schemaName]).toEqual(generated(success!.schemaName, success!.schema));
    }
  });
});

function generated(name: string, schema: z.ZodTypeAny): unknown {
  const registry = new OpenAPIRegistry();
  registry.register(name, schema);
  return new OpenApiGeneratorV31(registry.definitions).generateComponents().components?.schemas?.[name];
}
