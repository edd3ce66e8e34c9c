// Contract tests: every route module under app/routes/api.v1.* is in the OpenAPI document with
// exactly the methods it accepts, and every documented operation, called once with the request
// body the document gives as its example, answers a 2xx. Each answer is checked against the
// document by callRoute (test/support/api-contract.ts), as every API answer in these tests is.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { unappliedPayments, webhookDeliveries } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { runImports } from "../../support/imports";
import { callRoute, testConfig, testContext } from "../../support/context";
import { buildOpenApiDocument } from "~/api/openapi/document.server";
import { OPERATIONS, type Operation } from "~/api/openapi/operations";
import { createApiKey } from "~/api/db/api-keys.server";
import { createSupplier } from "~/features/suppliers/db/suppliers.server";
import { drainJobs } from "~/platform/jobs/queue.server";
import { CAMPAIGN_QUEUE_JOB } from "~/features/campaigns/campaigns.server";
import { insertDispute } from "~/features/invoices/db/disputes.server";
import { insertSuppression } from "~/features/emails/db/email-suppressions.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { erpInvoicePdf } from "../../support/sample-pdfs";
import { bgmaxFile } from "../bank-files/bank-file-helpers";

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

// ---- One call of every operation, with the document's own example body, answering a 2xx ----

type Call = { method?: string; path: string; params?: Record<string, string>; json?: unknown; body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> };
type Fixture = {
  headers: Record<string, string>; invoiceId: string; otherInvoiceId: string; customerId: string; contactId: string; paymentId: string;
  endpointId: string; spareEndpointId: string; deliveryId: string; disputeId: string;
  /** Started and fanned out (its report lists a customer with an email); the draft is started and cancelled by the calls. */
  campaignId: string; draftCampaignId: string;
  /** A CSV import, run to its end. */
  importId: string;
  bankImportId: string;
  /** A supplier's own invoice PDF to upload. */
  pdf: Uint8Array<ArrayBuffer>;
  /** Open unapplied bank payments: one to read and allocate, one to refund, one to mark not ours. */
  unapplied: string[];
  /** An open invoice nothing else pays or credits, for the allocation. */
  allocationInvoiceId: string;
  /** An overdue invoice sent to its billing contact, for the reminder actions. */
  reminderInvoiceId: string;
};

const SUPPRESSED = "ap@example.com";

let sequence = 0;
/** The fixture's own invoices (the example invoice is created once, by the createInvoice call). */
const invoiceBody = (customerId: string) => ({
  number: `C-${++sequence}`, currency: "SEK", issue_date: "2026-03-01", due_date: "2026-03-31", customer: { id: customerId },
  lines: [{ description: "Consulting", quantity: 1, unit: "h", unit_price: 10_000, vat_rate: 25, net: 10_000, vat: 2_500 }],
  total_net: 10_000, total_vat: 2_500, total: 12_500,
});

/** Two months ahead: the one field of an example that must move with the clock (1 to 366 days after the start). */
const CAMPAIGN_DEADLINE = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

/** Where each operation is called, with the fixture's ids; bodies are the document's examples. */
const CALLS: Record<string, (f: Fixture) => Call> = {
  getOpenApiDocument: () => ({ path: "/api/v1/openapi.json" }),
  listInvoices: () => ({ path: "/api/v1/invoices?limit=2&status=open" }),
  createInvoice: () => ({ path: "/api/v1/invoices", headers: { "Idempotency-Key": "contract-1" } }),
  getInvoice: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}`, params: { id: f.invoiceId } }),
  updateInvoice: (f) => ({ path: `/api/v1/invoices/${f.otherInvoiceId}`, params: { id: f.otherInvoiceId } }),
  cancelInvoice: (f) => ({ path: `/api/v1/invoices/${f.otherInvoiceId}/cancel`, params: { id: f.otherInvoiceId } }),
  createCreditNote: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/credit-notes`, params: { id: f.invoiceId } }),
  importInvoices: () => ({ path: "/api/v1/invoices/import" }),
  sendInvoice: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/send`, params: { id: f.invoiceId } }),
  reissuePortalLink: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/links`, params: { id: f.invoiceId } }),
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
  sendInvoiceReminder: (f) => ({ path: `/api/v1/invoices/${f.reminderInvoiceId}/reminders`, params: { id: f.reminderInvoiceId } }),
  pauseInvoiceReminders: (f) => ({ path: `/api/v1/invoices/${f.reminderInvoiceId}/reminders/pause`, params: { id: f.reminderInvoiceId } }),
  resumeInvoiceReminders: (f) => ({ path: `/api/v1/invoices/${f.reminderInvoiceId}/reminders/resume`, params: { id: f.reminderInvoiceId } }),
  listDeliveries: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/deliveries`, params: { id: f.invoiceId } }),
  addDeliveries: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/deliveries`, params: { id: f.invoiceId } }),
  listDisputes: () => ({ path: "/api/v1/disputes?status=open" }),
  resolveDispute: (f) => ({
    path: `/api/v1/invoices/${f.invoiceId}/disputes/${f.disputeId}/resolve`, params: { id: f.invoiceId, disputeId: f.disputeId },
  }),
  listPayments: () => ({ path: "/api/v1/payments?provider=manual" }),
  getPayment: (f) => ({ path: `/api/v1/payments/${f.paymentId}`, params: { id: f.paymentId } }),
  getPaymentReceiptPdf: (f) => ({ path: `/api/v1/payments/${f.paymentId}/receipt.pdf?lang=en`, params: { id: f.paymentId } }),
  listInvoicePayments: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/payments`, params: { id: f.invoiceId } }),
  recordPayment: (f) => ({ path: `/api/v1/invoices/${f.invoiceId}/payments`, params: { id: f.invoiceId } }),
  getImport: (f) => ({ path: `/api/v1/imports/${f.importId}`, params: { id: f.importId } }),
  listImportItems: (f) => ({ path: `/api/v1/imports/${f.bankImportId}/items?limit=2`, params: { id: f.bankImportId } }),
  importBankFile: () => ({ path: "/api/v1/bank-files" }),
  listPaymentAccounts: () => ({ path: "/api/v1/payment-accounts" }),
  getPaymentAccount: () => ({ path: "/api/v1/payment-accounts/stripe", params: { provider: "stripe" } }),
  setPaymentAccount: () => ({ path: "/api/v1/payment-accounts/stripe", params: { provider: "stripe" } }),
  removePaymentAccount: () => ({ path: "/api/v1/payment-accounts/stripe", params: { provider: "stripe" } }),
  listCustomers: () => ({ path: "/api/v1/customers?limit=5" }),
  createCustomer: () => ({ path: "/api/v1/customers" }),
  getCustomer: (f) => ({ path: `/api/v1/customers/${f.customerId}`, params: { id: f.customerId } }),
  updateCustomer: (f) => ({ path: `/api/v1/customers/${f.customerId}`, params: { id: f.customerId } }),
  listContacts: (f) => ({ path: `/api/v1/customers/${f.customerId}/contacts`, params: { id: f.customerId } }),
  addContact: (f) => ({ path: `/api/v1/customers/${f.customerId}/contacts`, params: { id: f.customerId } }),
  getContact: (f) => ({ path: `/api/v1/customers/${f.customerId}/contacts/${f.contactId}`, params: { id: f.customerId, contactId: f.contactId } }),
  updateContact: (f) => ({ path: `/api/v1/customers/${f.customerId}/contacts/${f.contactId}`, params: { id: f.customerId, contactId: f.contactId } }),
  listEmailSuppressions: () => ({ path: "/api/v1/email-suppressions" }),
  getEmailSuppression: () => ({ path: `/api/v1/email-suppressions/${SUPPRESSED}`, params: { address: SUPPRESSED } }),
  liftEmailSuppression: () => ({ path: `/api/v1/email-suppressions/${SUPPRESSED}`, params: { address: SUPPRESSED } }),
  listWebhookEndpoints: () => ({ path: "/api/v1/webhook-endpoints" }),
  createWebhookEndpoint: () => ({ path: "/api/v1/webhook-endpoints" }),
  getWebhookEndpoint: (f) => ({ path: `/api/v1/webhook-endpoints/${f.endpointId}`, params: { id: f.endpointId } }),
  updateWebhookEndpoint: (f) => ({ path: `/api/v1/webhook-endpoints/${f.endpointId}`, params: { id: f.endpointId } }),
  removeWebhookEndpoint: (f) => ({ path: `/api/v1/webhook-endpoints/${f.spareEndpointId}`, params: { id: f.spareEndpointId } }),
  listWebhookDeliveries: (f) => ({ path: `/api/v1/webhook-endpoints/${f.endpointId}/deliveries?limit=10`, params: { id: f.endpointId } }),
  replayWebhookDelivery: (f) => ({
    path: `/api/v1/webhook-endpoints/${f.endpointId}/deliveries/${f.deliveryId}/replay`, params: { id: f.endpointId, deliveryId: f.deliveryId },
  }),
  listCampaigns: () => ({ path: "/api/v1/campaigns?limit=5" }),
  createCampaign: () => ({ path: "/api/v1/campaigns", headers: { "Idempotency-Key": `contract-campaign-${++sequence}` } }),
  getCampaign: (f) => ({ path: `/api/v1/campaigns/${f.campaignId}?limit=10`, params: { id: f.campaignId } }),
  startCampaign: (f) => ({ path: `/api/v1/campaigns/${f.draftCampaignId}/start`, params: { id: f.draftCampaignId } }),
  cancelCampaign: (f) => ({ path: `/api/v1/campaigns/${f.draftCampaignId}/cancel`, params: { id: f.draftCampaignId } }),
  exportCampaignAnswers: (f) => ({ path: `/api/v1/campaigns/${f.campaignId}/answers.csv`, params: { id: f.campaignId } }),
  listUnappliedPayments: () => ({ path: "/api/v1/unapplied-payments?state=open&limit=10" }),
  getUnappliedPayment: (f) => ({ path: `/api/v1/unapplied-payments/${f.unapplied[0]}`, params: { id: f.unapplied[0]! } }),
  // The example names invoices of the document; this supplier's own invoice instead.
  allocateUnappliedPayment: (f) => ({
    method: "POST", path: `/api/v1/unapplied-payments/${f.unapplied[0]}/allocate`, params: { id: f.unapplied[0]! },
    json: { version: 1, parts: [{ invoice_id: f.allocationInvoiceId, amount: 100 }] },
  }),
  markUnappliedPaymentRefund: (f) => ({ path: `/api/v1/unapplied-payments/${f.unapplied[1]}/refund`, params: { id: f.unapplied[1]! } }),
  markUnappliedPaymentNotOurs: (f) => ({ path: `/api/v1/unapplied-payments/${f.unapplied[2]}/not-ours`, params: { id: f.unapplied[2]! } }),
  getSupplier: () => ({ path: "/api/v1/supplier" }),
  updateSupplier: () => ({ path: "/api/v1/supplier" }),
};

type Media = { example?: unknown; schema?: { $ref?: string } };

/**
 * The request body the document shows for an operation: its content type and example — the
 * example of its component schema when it has one (openapi-examples.test.ts checks that example
 * against the schema; sending it here proves the API accepts it too), else the media type's.
 */
function documentedBody(operation: Operation): { contentType: string; example: unknown; mediaExample: unknown } | undefined {
  const content = (doc.paths?.[operation.path]?.[operation.method]?.requestBody as { content?: Record<string, Media> } | undefined)?.content;
  const [contentType, media] = Object.entries(content ?? {})[0] ?? [];
  if (!contentType) return undefined;
  const component = media?.schema?.$ref ? doc.components?.schemas?.[media.schema.$ref.replace("#/components/schemas/", "")] : undefined;
  const example = component && "example" in component ? component.example : media?.example;
  return { contentType, example, mediaExample: media?.example };
}

/** The example, with the fields that cannot be fixed in a document (a deadline ahead of today). */
function exampleFor(operation: Operation): unknown {
  const example = documentedBody(operation)?.example;
  return operation.operationId === "createCampaign" ? { ...(example as object), deadline: CAMPAIGN_DEADLINE } : example;
}

function routeFileOf(operation: Operation): string {
  const file = routeFiles.find((candidate) => pathOfRouteFile(candidate) === operation.path);
  if (!file) throw new Error(`no route file for ${operation.path}`);
  return file;
}

async function call(operation: Operation, fixture: Fixture, overrides: Partial<Call> = {}): Promise<Response> {
  const route = await moduleOf(routeFileOf(operation));
  const spec = { ...CALLS[operation.operationId]!(fixture), ...overrides };
  const handler = operation.method === "get" ? route.loader : route.action;
  const documented = documentedBody(operation);
  const example = exampleFor(operation);
  const body = spec.json !== undefined || spec.body !== undefined ? {}
    : documented?.contentType === "application/json" ? { json: example }
    : documented ? { body: example as string, contentType: documented.contentType } : {};
  return callRoute(handler as never, context(), {
    method: spec.method ?? operation.method.toUpperCase(),
    path: spec.path,
    params: spec.params ?? {},
    headers: {
      ...(operation.auth === false ? {} : fixture.headers),
      ...("contentType" in body ? { "content-type": body.contentType } : {}),
      ...spec.headers,
    },
    ...("json" in body ? { json: body.json } : {}),
    ...("body" in body ? { body: body.body } : {}),
    ...(spec.json !== undefined ? { json: spec.json } : {}),
    ...(spec.body !== undefined ? { body: spec.body } : {}),
  });
}

async function jsonOf(response: Response): Promise<{ id: string } & Record<string, unknown>> {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as { id: string } & Record<string, unknown>;
}

describe("every operation, called with the document's example, answers a 2xx the document describes", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    const db = database.get().db;
    const supplier = await createSupplier(db, { name: "Kontrakt AB", bankgiro: "5050-1055", swishNumber: "1231181189" });
    const key = await createApiKey(db, supplier.id);
    const base: Fixture = {
      headers: { authorization: `Bearer ${key.key}` },
      invoiceId: "", otherInvoiceId: "", customerId: "", contactId: "", paymentId: "", importId: "", bankImportId: "",
      endpointId: "", spareEndpointId: "", deliveryId: "", disputeId: "", campaignId: "", draftCampaignId: "",
      pdf: new Uint8Array(await erpInvoicePdf({ pages: 1 })), unapplied: [], allocationInvoiceId: "", reminderInvoiceId: "",
    };
    const byId = (id: string) => OPERATIONS.find((operation) => operation.operationId === id)!;
    base.customerId = (await jsonOf(await call(byId("createCustomer"), base, { json: { external_id: "K-FIXTURE", name: "Fixtur AB" } }))).id;
    base.contactId = (await jsonOf(await call(byId("addContact"), base, { json: { name: "Per Persson", email: "per@kund.example" } }))).id;
    base.invoiceId = (await jsonOf(await call(byId("createInvoice"), base, { json: invoiceBody(base.customerId), headers: {} }))).id;
    base.otherInvoiceId = (await jsonOf(await call(byId("createInvoice"), base, { json: invoiceBody(base.customerId), headers: {} }))).id;
    base.paymentId = (await jsonOf(await call(byId("recordPayment"), base, { json: { amount: 100, currency: "SEK", method: "cash" } }))).id;
    const endpoint = { url: "https://erp.example.com/hooks", event_types: ["invoice.paid"] };
    base.endpointId = (await jsonOf(await call(byId("createWebhookEndpoint"), base, { json: endpoint }))).id;
    base.spareEndpointId = (await jsonOf(await call(byId("createWebhookEndpoint"), base, { json: endpoint }))).id;
    await publishWebhookEvent(db, { supplierId: supplier.id, type: "invoice.paid", payload: { id: base.invoiceId } });
    const [delivery] = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, base.endpointId));
    base.deliveryId = delivery!.id;
    base.disputeId = (await insertDispute(db, { supplierId: supplier.id, invoiceId: base.invoiceId, kind: "invoice", reason: "wrong_amount" }, new Date())).id;
    await db.transaction((tx) => insertSuppression(tx, { supplierId: supplier.id, address: SUPPRESSED, reason: "bounced", detail: null, emailId: null, now: new Date() }));
    const campaign = { name: "Fixture", audience: { customer_ids: [base.customerId] }, message: "Stämmer era uppgifter?", deadline: CAMPAIGN_DEADLINE };
    base.campaignId = (await jsonOf(await call(byId("createCampaign"), base, { json: campaign }))).id;
    base.draftCampaignId = (await jsonOf(await call(byId("createCampaign"), base, { json: campaign }))).id;
    await jsonOf(await call(byId("startCampaign"), base, { path: `/api/v1/campaigns/${base.campaignId}/start`, params: { id: base.campaignId } }));
    expect(await drainJobs(context().app, { names: [CAMPAIGN_QUEUE_JOB] })).toBe(1);
    base.importId = (await jsonOf(await call(byId("importInvoices"), base))).id;
    // A bank file of three payments naming no invoice: they wait in the queue of unapplied payments.
    const bankFile = bgmaxFile({ bankgiro: "5050-1055", date: "2026-03-20", payments: [1, 2, 3].map((serial) => ({ refs: ["5555555555555"], amount: 10_000, serial })) });
    base.bankImportId = (await jsonOf(await call(byId("importBankFile"), base, { body: new Uint8Array(bankFile), headers: { "content-type": "text/plain" } }))).id;
    await runImports(context());
    base.unapplied = (await db.select({ id: unappliedPayments.id }).from(unappliedPayments).where(eq(unappliedPayments.supplierId, supplier.id)).orderBy(unappliedPayments.createdAt))
      .map((row) => row.id);
    expect(base.unapplied).toHaveLength(3);
    base.allocationInvoiceId = (await jsonOf(await call(byId("createInvoice"), base, { json: invoiceBody(base.customerId), headers: {} }))).id;
    base.reminderInvoiceId = (await jsonOf(await call(byId("createInvoice"), base, { json: invoiceBody(base.customerId), headers: {} }))).id;
    await jsonOf(await call(byId("sendInvoice"), base, { path: `/api/v1/invoices/${base.reminderInvoiceId}/send`, params: { id: base.reminderInvoiceId } }));
    fixture = base;
  });

  it("has a call for every documented operation, and an example for every request body", () => {
    expect(Object.keys(CALLS).sort()).toEqual(OPERATIONS.map((operation) => operation.operationId).sort());
    const withoutExample = OPERATIONS.filter((operation) => documentedBody(operation) && documentedBody(operation)!.example === undefined);
    expect(withoutExample.map((operation) => operation.operationId)).toEqual([]);
    // The body an integrator copies from the operation is the one its schema shows (and this test sends).
    for (const operation of OPERATIONS) {
      const documented = documentedBody(operation);
      if (documented) expect(documented.mediaExample, operation.operationId).toEqual(documented.example);
    }
  });

  // callRoute checks each answer against the document (status, Content-Type, headers, body).
  it.each(OPERATIONS.map((operation) => [operation.operationId, operation] as const))("%s", async (_id, operation) => {
    const response = await call(operation, fixture);
    expect(response.status, `${response.status}: ${(await response.clone().text()).slice(0, 300)}`).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
  });
});
