// Idempotency-Key on the POST routes beyond invoices, customers and payments. Adding deliveries,
// reissuing a portal link and registering a webhook endpoint repeat their effect by nature: a
// retry after a lost answer must not add the deliveries twice, revoke the link the lost answer
// held, or register a second endpoint (events would then arrive twice). Send, import, dispute
// resolve and delivery replay have no (or a harmless) second effect, but a repeat answers
// differently; with a key the retry gets the first answer, byte for byte.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { payerFixture, post as portalPost, type PayerFixture } from "../portal/payer-helpers";
import { afterImport } from "../../support/imports";
import * as deliveriesRoute from "~/routes/api.v1.invoices.$id.deliveries";
import * as resolveRoute from "~/routes/api.v1.invoices.$id.disputes.$disputeId.resolve";
import * as linksRoute from "~/routes/api.v1.invoices.$id.links";
import * as sendRoute from "~/routes/api.v1.invoices.$id.send";
import * as importRoute from "~/routes/api.v1.invoices.import";
import * as endpointsRoute from "~/routes/api.v1.webhook-endpoints";
import * as replayRoute from "~/routes/api.v1.webhook-endpoints.$id.deliveries.$deliveryId.replay";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

const database = useTestDatabase();
const config = testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
const context = () => testContext(database.get(), config);
const sql = () => database.get().sql;
/** A link signing key other than the test one: configured alone, the test key counts as retired. */
const NEW_KEY = "test2:fedcba9876543210fedcba9876543210-new-key";

const supplier = () => payerFixture(database.get().db, config);
const keyed = (owner: PayerFixture, key: string) => ({ ...owner.api, "idempotency-key": key });

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };

async function addDeliveries(headers: Record<string, string>, invoiceId: string, json: unknown) {
  return callRoute(deliveriesRoute.action, context(), {
    method: "POST", path: `/api/v1/invoices/${invoiceId}/deliveries`, params: { id: invoiceId }, headers, json,
  });
}

async function reissue(headers: Record<string, string>, invoiceId: string) {
  return callRoute(linksRoute.action, context(), {
    method: "POST", path: `/api/v1/invoices/${invoiceId}/links`, params: { id: invoiceId }, headers,
  });
}

async function register(headers: Record<string, string>, json: unknown) {
  return callRoute(endpointsRoute.action, context(), { method: "POST", path: "/api/v1/webhook-endpoints", headers, json });
}

async function expectKeyReused(response: Response) {
  expect(response.status).toBe(422);
  const problem = (await response.json()) as Problem;
  expect(problem.detail).toMatch(/already used with another request/);
  expect(problem.errors?.[0]?.field).toBe("Idempotency-Key");
}

async function storedBody(supplierId: string, key: string): Promise<string> {
  const [row] = await sql()<{ body: string }[]>`
    select body::text as body from idempotency_keys where supplier_id = ${supplierId} and key = ${key}`;
  return row!.body;
}

const tokenOf = (url: string) => new URL(url).pathname.slice("/i/".length);

describe("POST /api/v1/invoices/:id/deliveries with Idempotency-Key", () => {
  const body = { deliveries: [{ description: "Pall 1", delivered_on: "2026-03-02" }, { description: "Pall 2", lines: [1] }] };
  const deliveriesOf = async (invoiceId: string) =>
    (await sql()<{ n: number }[]>`select count(*)::int as n from deliveries where invoice_id = ${invoiceId}`)[0]!.n;
  const addedEvents = async (invoiceId: string) =>
    (await sql()<{ n: number }[]>`select count(*)::int as n from events where invoice_id = ${invoiceId} and type = 'delivery.added'`)[0]!.n;

  it("adds the deliveries once and answers a retry with the same deliveries", async () => {
    const owner = await supplier();
    const first = await addDeliveries(keyed(owner, "dlv-1"), owner.invoice.id, body);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await addDeliveries(keyed(owner, "dlv-1"), owner.invoice.id, body);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await deliveriesOf(owner.invoice.id)).toBe(2);
    expect(await addedEvents(owner.invoice.id)).toBe(2);

    // Without a key each POST still adds them: the key is what makes a retry safe.
    expect((await addDeliveries(owner.api, owner.invoice.id, body)).status).toBe(201);
    expect(await deliveriesOf(owner.invoice.id)).toBe(4);
  });

  it("refuses the key with another body or another invoice (422) and adds nothing", async () => {
    const owner = await supplier();
    const other = await owner.another();
    expect((await addDeliveries(keyed(owner, "dlv-2"), owner.invoice.id, body)).status).toBe(201);
    await expectKeyReused(await addDeliveries(keyed(owner, "dlv-2"), owner.invoice.id, { deliveries: [{ description: "Pall 3" }] }));
    await expectKeyReused(await addDeliveries(keyed(owner, "dlv-2"), other.invoice.id, body));
    expect(await deliveriesOf(owner.invoice.id)).toBe(2);
    expect(await deliveriesOf(other.invoice.id)).toBe(0);
  });

  it("gives another supplier using the same key its own deliveries", async () => {
    const a = await supplier();
    const b = await supplier();
    const first = (await (await addDeliveries(keyed(a, "shared"), a.invoice.id, body)).json()) as { data: { id: string }[] };
    const other = await addDeliveries(keyed(b, "shared"), b.invoice.id, body);
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    const theirs = (await other.json()) as { data: { id: string; invoice_id: string }[] };
    expect(theirs.data.map((delivery) => delivery.invoice_id)).toEqual([b.invoice.id, b.invoice.id]);
    expect(theirs.data.map((delivery) => delivery.id)).not.toContain(first.data[0]!.id);
    // B naming A's invoice with A's key: a 404 exactly like an unknown invoice, and nothing added.
    const foreign = await addDeliveries(keyed(b, "shared-2"), a.invoice.id, body);
    expect(foreign.status).toBe(404);
    expect(await deliveriesOf(a.invoice.id)).toBe(2);
  });

  it("does not keep the key of a request that failed: the corrected request runs", async () => {
    const owner = await supplier();
    const wrong = await addDeliveries(keyed(owner, "dlv-fix"), owner.invoice.id, { deliveries: [{ description: "X", lines: [9] }] });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as Problem).errors?.[0]?.field).toBe("deliveries[0].lines[0]");
    const fixed = await addDeliveries(keyed(owner, "dlv-fix"), owner.invoice.id, { deliveries: [{ description: "X", lines: [1] }] });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("POST /api/v1/invoices/:id/links with Idempotency-Key", () => {
  const reissued = async (invoiceId: string) =>
    (await sql()<{ n: number }[]>`
      select count(*)::int as n from events where invoice_id = ${invoiceId} and type = 'link.issued' and data->>'reason' = 'reissued'`)[0]!.n;

  it("issues one link: a retry answers the same working link instead of revoking it", async () => {
    const owner = await supplier();
    const first = await reissue(keyed(owner, "lnk-1"), owner.invoice.id);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const link = (await first.json()) as { portal_url: string; expires_at: string };
    const again = await reissue(keyed(owner, "lnk-1"), owner.invoice.id);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(link);
    expect(await reissued(owner.invoice.id)).toBe(1);

    const { db } = database.get();
    expect(await resolveInvoiceToken(db, config, tokenOf(link.portal_url))).toMatchObject({ ok: true, link: { invoiceId: owner.invoice.id } });
    expect((await resolveInvoiceToken(db, config, owner.token)).ok).toBe(false);
  });

  it("stores the answer sealed: the idempotency table holds no usable link", async () => {
    const owner = await supplier();
    const link = (await (await reissue(keyed(owner, "lnk-sealed"), owner.invoice.id)).json()) as { portal_url: string };
    const stored = await storedBody(owner.supplier.id, "lnk-sealed");
    expect(stored).not.toContain(tokenOf(link.portal_url));
    expect(stored).not.toContain("/i/");
    expect(stored).not.toContain("portal_url");
  });

  it("five concurrent retries with one key issue one link", async () => {
    const owner = await supplier();
    const responses = await Promise.all(Array.from({ length: 5 }, () => reissue(keyed(owner, "lnk-race"), owner.invoice.id)));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const urls = await Promise.all(responses.map(async (response) => ((await response.json()) as { portal_url: string }).portal_url));
    expect(new Set(urls).size).toBe(1);
    expect(responses.filter((response) => response.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    expect(await reissued(owner.invoice.id)).toBe(1);
  });

  it("refuses the key for another invoice (422) and leaves that invoice's link working", async () => {
    const owner = await supplier();
    const other = await owner.another();
    expect((await reissue(keyed(owner, "lnk-2"), owner.invoice.id)).status).toBe(201);
    await expectKeyReused(await reissue(keyed(owner, "lnk-2"), other.invoice.id));
    expect(await reissued(other.invoice.id)).toBe(0);
    expect((await resolveInvoiceToken(database.get().db, config, other.token)).ok).toBe(true);
  });

  it("gives another supplier using the same key its own link; a foreign invoice is a 404 that keeps no claim", async () => {
    const a = await supplier();
    const b = await supplier();
    const first = (await (await reissue(keyed(a, "shared"), a.invoice.id)).json()) as { portal_url: string };
    const unknown = await reissue(keyed(b, "shared"), "inv_0000000000000000000000");
    const foreign = await reissue(keyed(b, "shared"), a.invoice.id);
    expect(foreign.status).toBe(404);
    expect({ status: foreign.status, body: await foreign.json() }).toEqual({ status: unknown.status, body: await unknown.json() });
    expect(await reissued(a.invoice.id)).toBe(1);

    const own = await reissue(keyed(b, "shared"), b.invoice.id);
    expect(own.status).toBe(201);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
    const theirs = (await own.json()) as { portal_url: string };
    expect(theirs.portal_url).not.toBe(first.portal_url);
    expect(await resolveInvoiceToken(database.get().db, config, tokenOf(theirs.portal_url))).toMatchObject({ ok: true, link: { invoiceId: b.invoice.id } });
  });
});

describe("POST /api/v1/webhook-endpoints with Idempotency-Key", () => {
  type Endpoint = { id: string; url: string; secret?: string };
  const endpointsOf = async (supplierId: string) =>
    (await sql()<{ n: number }[]>`select count(*)::int as n from webhook_endpoints where supplier_id = ${supplierId}`)[0]!.n;
  const body = { url: "https://erp.example.com/hooks", event_types: ["invoice.paid"] };

  it("registers one endpoint: a retry answers it again, with the same secret and Location", async () => {
    const owner = await supplier();
    const first = await register(keyed(owner, "whe-1"), body);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const endpoint = (await first.json()) as Endpoint;
    expect(endpoint.secret).toMatch(/^whsec_/);
    const again = await register(keyed(owner, "whe-1"), body);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(await again.json()).toEqual(endpoint);
    expect(await endpointsOf(owner.supplier.id)).toBe(1);
    const [created] = await sql()<{ n: number }[]>`
      select count(*)::int as n from events where supplier_id = ${owner.supplier.id} and type = 'webhook_endpoint.created'`;
    expect(created!.n).toBe(1);
  });

  it("stores the answer sealed: the idempotency table holds no signing secret", async () => {
    const owner = await supplier();
    const endpoint = (await (await register(keyed(owner, "whe-sealed"), body)).json()) as Endpoint;
    const stored = await storedBody(owner.supplier.id, "whe-sealed");
    expect(stored).not.toContain(endpoint.secret!.slice("whsec_".length));
    expect(stored).not.toContain("whsec_");
    expect(stored).not.toContain(endpoint.url);
  });

  it("answers 409 (not another endpoint) once the key that sealed the first answer was retired", async () => {
    const owner = await supplier();
    expect((await register(keyed(owner, "whe-retired"), body)).status).toBe(201);
    const retired = testContext(database.get(), testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", LINK_SIGNING_KEYS: NEW_KEY }));
    const again = await callRoute(endpointsRoute.action, retired, {
      method: "POST", path: "/api/v1/webhook-endpoints", headers: keyed(owner, "whe-retired"), json: body,
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Problem).detail).toMatch(/use a new key/);
    expect(await endpointsOf(owner.supplier.id)).toBe(1);
  });

  it("refuses the key with another body (422) and registers nothing", async () => {
    const owner = await supplier();
    expect((await register(keyed(owner, "whe-2"), body)).status).toBe(201);
    await expectKeyReused(await register(keyed(owner, "whe-2"), { ...body, url: "https://erp.example.com/other" }));
    expect(await endpointsOf(owner.supplier.id)).toBe(1);
  });

  it("gives another supplier using the same key its own endpoint and secret", async () => {
    const a = await supplier();
    const b = await supplier();
    const first = (await (await register(keyed(a, "shared"), body)).json()) as Endpoint;
    const other = await register(keyed(b, "shared"), body);
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    const theirs = (await other.json()) as Endpoint;
    expect(theirs.id).not.toBe(first.id);
    expect(theirs.secret).toMatch(/^whsec_/);
    expect(theirs.secret).not.toBe(first.secret);
    expect(await endpointsOf(a.supplier.id)).toBe(1);
    expect(await endpointsOf(b.supplier.id)).toBe(1);
  });

  it("answers an invalid body with 422 naming the field, and keeps no claim", async () => {
    const owner = await supplier();
    const wrong = await register(keyed(owner, "whe-fix"), { url: "ftp://erp.example.com/hooks" });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as Problem).errors?.[0]?.field).toBe("url");
    const fixed = await register(keyed(owner, "whe-fix"), body);
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
  });
});

/** The same answer again, byte for byte, marked as replayed. */
async function expectReplayOf(first: Response, again: Response) {
  expect(first.headers.get("idempotent-replayed")).toBeNull();
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  expect(again.status).toBe(first.status);
  expect(await again.text()).toBe(await first.text());
}

const countOf = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;

describe("POST /api/v1/invoices/:id/send with Idempotency-Key", () => {
  const send = (headers: Record<string, string>, invoiceId: string, json: unknown) =>
    callRoute(sendRoute.action, context(), {
      method: "POST", path: `/api/v1/invoices/${invoiceId}/send`, params: { id: invoiceId }, headers, json,
    });
  const sentEvents = (invoiceId: string) =>
    countOf(sql()<{ n: number }[]>`select count(*)::int as n from events where invoice_id = ${invoiceId} and type = 'invoice.sent'`);
  const notices = (invoiceId: string) =>
    countOf(sql()<{ n: number }[]>`select count(*)::int as n from emails where invoice_id = ${invoiceId} and template = 'invoice-notice'`);

  it("mails once and answers a retry with the first answer (queued), not already_sent", async () => {
    const owner = await supplier();
    const first = await send(keyed(owner, "snd-1"), owner.invoice.id, { message: "Tack!" });
    expect(first.status).toBe(202);
    const again = await send(keyed(owner, "snd-1"), owner.invoice.id, { message: "Tack!" });
    const emails = ((await first.clone().json()) as { emails: { status: string }[] }).emails;
    expect(emails.map((email) => email.status)).toEqual(["queued"]);
    await expectReplayOf(first, again);
    expect(await notices(owner.invoice.id)).toBe(1);
    expect(await sentEvents(owner.invoice.id)).toBe(1);

    // Without a key a repeat mails nobody again but says so.
    const keyless = (await (await send(owner.api, owner.invoice.id, { message: "Tack!" })).json()) as { emails: { status: string }[] };
    expect(keyless.emails.map((email) => email.status)).toEqual(["already_sent"]);
  });

  it("refuses the key with another message or invoice (422); a refused send keeps no claim", async () => {
    const owner = await supplier();
    const other = await owner.another();
    expect((await send(keyed(owner, "snd-2"), owner.invoice.id, { message: "Ett" })).status).toBe(202);
    await expectKeyReused(await send(keyed(owner, "snd-2"), owner.invoice.id, { message: "Två" }));
    await expectKeyReused(await send(keyed(owner, "snd-2"), other.invoice.id, { message: "Ett" }));
    expect(await notices(other.invoice.id)).toBe(0);

    const unknown = await send(keyed(owner, "snd-3"), "inv_0000000000000000000000", {});
    expect(unknown.status).toBe(404);
    const fixed = await send(keyed(owner, "snd-3"), other.invoice.id, {});
    expect(fixed.status).toBe(202);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("POST /api/v1/invoices/import with Idempotency-Key", () => {
  const HEADER = "Number;Customer_External_ID;Customer_Name;Currency;Issue_Date;Due_Date;Description;Quantity;Unit_Price;VAT_Rate";
  const csvOf = (...numbers: string[]) =>
    `${HEADER}\n${numbers.map((number) => `${number};K-1;Kund AB;SEK;2026-03-01;2026-03-31;Konsult;1;100,00;25`).join("\n")}\n`;
  type Report = { created: { number: string }[]; skipped: unknown[]; errors: unknown[] };
  /** The POST's answer and the import once the worker has run it. */
  const importCsv = async (headers: Record<string, string>, csv: string, query = "") => {
    const response = await callRoute(importRoute.action, context(), {
      method: "POST", path: `/api/v1/invoices/import${query}`, headers: { ...headers, "content-type": "text/csv" }, body: csv,
    });
    return afterImport<Report>(context(), response, headers);
  };
  const invoicesOf = (supplierId: string) =>
    countOf(sql()<{ n: number }[]>`select count(*)::int as n from invoices where supplier_id = ${supplierId}`);

  it("imports once and answers a retry with the same import (created, not skipped)", async () => {
    const owner = await supplier();
    const before = await invoicesOf(owner.supplier.id);
    const first = await importCsv(keyed(owner, "imp-1"), csvOf("IMP-1", "IMP-2"));
    expect(first.response.status).toBe(202);
    expect(first.done!.report!.created.map((row) => row.number)).toEqual(["IMP-1", "IMP-2"]);
    const retry = await importCsv(keyed(owner, "imp-1"), csvOf("IMP-1", "IMP-2"));
    expect(retry.response.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.done).toEqual(first.done);
    expect(await invoicesOf(owner.supplier.id)).toBe(before + 2);

    // Without a key the same file creates nothing new and reports the numbers as skipped.
    const keyless = (await importCsv(owner.api, csvOf("IMP-1", "IMP-2"))).done!.report!;
    expect({ created: keyless.created.length, skipped: keyless.skipped.length }).toEqual({ created: 0, skipped: 2 });
  });

  it("refuses the key with another file or other flags (422) and imports nothing", async () => {
    const owner = await supplier();
    const before = await invoicesOf(owner.supplier.id);
    expect((await importCsv(keyed(owner, "imp-2"), csvOf("IMP-3"), "?dry_run=true")).done!.state).toBe("succeeded");
    await expectKeyReused((await importCsv(keyed(owner, "imp-2"), csvOf("IMP-3"))).response);
    await expectKeyReused((await importCsv(keyed(owner, "imp-2"), csvOf("IMP-4"), "?dry_run=true")).response);
    expect(await invoicesOf(owner.supplier.id)).toBe(before);
  });

  it("keeps no claim when nothing could be imported (a failed import): the fixed file runs with the key", async () => {
    const owner = await supplier();
    const broken = csvOf("IMP-5").replace("100,00", "hundra");
    const failed = await importCsv(keyed(owner, "imp-3"), broken);
    expect(failed.done).toMatchObject({ state: "failed", problem: { status: 422 } });
    expect(failed.done!.report!.errors).not.toHaveLength(0);
    const fixed = await importCsv(keyed(owner, "imp-3"), csvOf("IMP-5"));
    expect(fixed.response.headers.get("idempotent-replayed")).toBeNull();
    expect(fixed.done).toMatchObject({ state: "succeeded", report: { created: [{ number: "IMP-5" }] } });
  });
});

describe("POST /api/v1/invoices/:id/disputes/:disputeId/resolve with Idempotency-Key", () => {
  const resolve = (headers: Record<string, string>, invoiceId: string, disputeId: string, json: unknown) =>
    callRoute(resolveRoute.action, context(), {
      method: "POST", path: `/api/v1/invoices/${invoiceId}/disputes/${disputeId}/resolve`, params: { id: invoiceId, disputeId }, headers, json,
    });
  async function disputed(owner: PayerFixture): Promise<string> {
    expect((await portalPost(context(), owner.token, { intent: "report-problem", reason: "wrong_amount" })).status).toBe(303);
    const [row] = await sql()<{ id: string }[]>`select id from disputes where invoice_id = ${owner.invoice.id}`;
    return row!.id;
  }
  const resolvedEvents = (invoiceId: string) =>
    countOf(sql()<{ n: number }[]>`select count(*)::int as n from events where invoice_id = ${invoiceId} and type = 'dispute.resolved'`);
  const rejected = { status: "rejected", message: "Beloppet stämmer." };

  it("resolves once and answers a retry with the first answer instead of a 409", async () => {
    const owner = await supplier();
    const disputeId = await disputed(owner);
    const first = await resolve(keyed(owner, "dsp-1"), owner.invoice.id, disputeId, rejected);
    expect(first.status).toBe(200);
    await expectReplayOf(first, await resolve(keyed(owner, "dsp-1"), owner.invoice.id, disputeId, rejected));
    expect(await resolvedEvents(owner.invoice.id)).toBe(1);
    expect((await resolve(owner.api, owner.invoice.id, disputeId, rejected)).status).toBe(409);
  });

  it("refuses the key with another answer (422); the corrected invoice's link is stored sealed", async () => {
    const owner = await supplier();
    const disputeId = await disputed(owner);
    const corrected = await owner.another();
    const accepted = { status: "accepted", corrected_invoice_id: corrected.invoice.id };
    const first = await resolve(keyed(owner, "dsp-2"), owner.invoice.id, disputeId, accepted);
    expect(first.status).toBe(200);
    const { corrected_invoice: link } = (await first.clone().json()) as { corrected_invoice: { portal_url: string } };
    await expectKeyReused(await resolve(keyed(owner, "dsp-2"), owner.invoice.id, disputeId, rejected));
    await expectReplayOf(first, await resolve(keyed(owner, "dsp-2"), owner.invoice.id, disputeId, accepted));
    const stored = await storedBody(owner.supplier.id, "dsp-2");
    expect(stored).not.toContain(tokenOf(link.portal_url));
    expect(stored).not.toContain("/i/");
  });
});

describe("POST /api/v1/webhook-endpoints/:id/deliveries/:deliveryId/replay with Idempotency-Key", () => {
  const replay = (headers: Record<string, string>, endpointId: string, deliveryId: string) =>
    callRoute(replayRoute.action, context(), {
      method: "POST", path: `/api/v1/webhook-endpoints/${endpointId}/deliveries/${deliveryId}/replay`, params: { id: endpointId, deliveryId }, headers,
    });
  async function deliveries(owner: PayerFixture, count: number): Promise<{ endpointId: string; ids: string[] }> {
    const endpoint = (await (await register(owner.api, { url: "https://erp.example.com/hooks" })).json()) as { id: string };
    for (let i = 0; i < count; i++) {
      await publishWebhookEvent(database.get().db, { supplierId: owner.supplier.id, type: "invoice.paid", payload: { id: owner.invoice.id, i } });
    }
    const rows = await sql()<{ id: string }[]>`select id from webhook_deliveries where endpoint_id = ${endpoint.id} order by id`;
    return { endpointId: endpoint.id, ids: rows.map((row) => row.id) };
  }
  const replays = (supplierId: string) =>
    countOf(sql()<{ n: number }[]>`select count(*)::int as n from events where supplier_id = ${supplierId} and type = 'webhook_delivery.replayed'`);

  it("replays once and answers a retry with the first answer", async () => {
    const owner = await supplier();
    const { endpointId, ids } = await deliveries(owner, 1);
    const first = await replay(keyed(owner, "rpl-1"), endpointId, ids[0]!);
    expect(first.status).toBe(202);
    await expectReplayOf(first, await replay(keyed(owner, "rpl-1"), endpointId, ids[0]!));
    expect(await replays(owner.supplier.id)).toBe(1);
  });

  it("refuses the key for another delivery (422); another supplier's delivery is a 404 keeping no claim", async () => {
    const owner = await supplier();
    const { endpointId, ids } = await deliveries(owner, 2);
    expect((await replay(keyed(owner, "rpl-2"), endpointId, ids[0]!)).status).toBe(202);
    await expectKeyReused(await replay(keyed(owner, "rpl-2"), endpointId, ids[1]!));
    expect(await replays(owner.supplier.id)).toBe(1);

    const intruder = await supplier();
    const foreign = await replay(keyed(intruder, "rpl-2"), endpointId, ids[1]!);
    const unknown = await replay(keyed(intruder, "rpl-2"), endpointId, "whd_0000000000000000000000");
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toBe(await unknown.text());
    expect(await replays(owner.supplier.id)).toBe(1);
  });
});
