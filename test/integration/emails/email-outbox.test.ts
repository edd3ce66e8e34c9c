// The development outbox: /dev/outbox lists queued and delivered emails newest first, a message
// shows its plain text, its HTML is served apart under a sandboxing CSP; production has none of it.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { useTestDatabase } from "../../support/database";
import { contacts } from "../../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { callRoute, testConfig, testContext } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer, tokenFromUrl } from "../../support/fixtures";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { drainJobs } from "~/platform/jobs/queue.server";
import { EMAIL_SEND_JOB, queueEmail } from "~/features/emails/email.server";
import { loader as listLoader } from "~/routes/dev.outbox";
import { loader as emailLoader } from "~/routes/dev.outbox.$id";
import { loader as htmlLoader } from "~/routes/dev.outbox.$id.html";

const database = useTestDatabase();
const context = () => testContext(database.get());
const production = () =>
  testContext(database.get(), testConfig({ NODE_ENV: "production" }));

type Listed = { id: string; to: string; subject: string | null; template: string; status: string; createdAt: string };

async function queueTwo() {
  const owner = await createSupplierWithCustomer(database.get().db);
  const { supplier, customerId } = owner;
  const { invoice } = await createInvoiceWithLink(database.get().db, testConfig(), owner);
  await database.get().db.insert(contacts).values({ id: newPublicId("con"), supplierId: supplier.id, customerId, email: "payer@kund.example" });
  const first = await queueEmail(database.get().db, {
    supplierId: supplier.id,
    customerId,
    template: "invoice-confirmed",
    locale: "en",
    to: "ekonomi@nordljus.example",
    props: { invoiceNumber: "2026-3001", invoiceId: "inv_a", customerName: "Fjällbacka Bygg AB", confirmedAt: new Date() },
    idempotencyKey: `outbox:${randomUUID()}`,
  });
  await drainJobs(context().app, { names: [EMAIL_SEND_JOB] });
  const second = await queueEmail(database.get().db, {
    supplierId: supplier.id,
    customerId,
    invoiceId: invoice.id,
    template: "problem-received",
    locale: "sv",
    to: "payer@kund.example",
    props: {
      invoiceNumber: "2026-3002",
      kind: "invoice",
      reason: "other",
      message: `<script>alert("typed by a payer")</script>`,
    },
    idempotencyKey: `outbox:${randomUUID()}`,
  });
  return { sent: first.emailId, queued: second.emailId };
}

describe("/dev/outbox", () => {
  it("lists emails newest first with recipient, subject, template and status", async () => {
    const { sent, queued } = await queueTwo();
    const response = await callRoute(listLoader, context(), { path: "/dev/outbox" });
    expect(response.status).toBe(200);
    const { emails, delivery } = (await response.json()) as { emails: Listed[]; delivery: string };
    expect(delivery).toBe("outbox");
    const ids = emails.map((email) => email.id);
    expect(ids.indexOf(queued)).toBeLessThan(ids.indexOf(sent));
    expect(emails.find((email) => email.id === sent)).toMatchObject({
      to: "ekonomi@nordljus.example",
      subject: "Invoice 2026-3001 confirmed by Fjällbacka Bygg AB",
      template: "invoice-confirmed",
      status: "sent",
    });
    expect(emails.find((email) => email.id === queued)).toMatchObject({ subject: null, status: "queued" });
  });

  it("shows one email with its plain text, and serves its HTML sandboxed", async () => {
    const { queued } = await queueTwo();
    await drainJobs(context().app, { names: [EMAIL_SEND_JOB] });
    const response = await callRoute(emailLoader, context(), { path: `/dev/outbox/${queued}`, params: { id: queued } });
    expect(response.status).toBe(200);
    const email = (await response.json()) as Record<string, unknown>;
    expect(email).toMatchObject({ id: queued, to: "payer@kund.example", status: "sent", transport: "outbox", hasHtml: true });
    // The outbox is the delivery in development: it shows the email with its own working link.
    const url = /https:\/\/pay\.example\.test\/i\/[A-Za-z0-9._-]+/.exec(String(email.text))?.[0];
    expect(url).toBeDefined();
    expect(await resolveInvoiceToken(database.get().db, testConfig(), tokenFromUrl(url!))).toMatchObject({ ok: true });

    const html = await callRoute(htmlLoader, context(), { path: `/dev/outbox/${queued}/html`, params: { id: queued } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toMatch(/^sandbox; default-src 'none'/);
    const body = await html.text();
    expect(body).toContain("Vi har tagit emot din anmälan om faktura 2026-3002");
    expect(body).not.toContain("<script>");
    expect(html.headers.get("content-disposition")).toBeNull();

    const download = await callRoute(htmlLoader, context(), { path: `/dev/outbox/${queued}/html?download=1`, params: { id: queued } });
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="${queued}.html"`);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of ["msg_0000000000000000000000", "../etc/passwd", "inv_0000000000000000000000"]) {
      expect((await callRoute(emailLoader, context(), { path: "/dev/outbox/x", params: { id } })).status).toBe(404);
      expect((await callRoute(htmlLoader, context(), { path: "/dev/outbox/x/html", params: { id } })).status).toBe(404);
    }
  });

  it("does not exist in production", async () => {
    const { sent } = await queueTwo();
    expect((await callRoute(listLoader, production(), { path: "/dev/outbox" })).status).toBe(404);
    expect((await callRoute(emailLoader, production(), { path: `/dev/outbox/${sent}`, params: { id: sent } })).status).toBe(404);
    expect((await callRoute(htmlLoader, production(), { path: `/dev/outbox/${sent}/html`, params: { id: sent } })).status).toBe(404);
  });
});
