// Queueing and sending email on a real PostgreSQL and pg-boss: the row and its job commit or roll
// back with the caller's transaction, a job run twice sends once, and the real `resend` SDK talks
// to a local fake of Resend's API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { contacts, emails, events } from "../../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { useTestDatabase } from "../../support/database";
import { TEST_LINK_KEYS, testConfig, testContext } from "../../support/context";
import { ConfigError, loadConfig } from "~/platform/config.server";
import { createInvoiceWithLink, createSupplierWithCustomer, tokenFromUrl } from "../../support/fixtures";
import { PORTAL_LINK_PLACEHOLDER } from "~/features/emails/email-context.server";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { drainJobs, enqueueJob } from "~/platform/jobs/queue.server";
import { EMAIL_SEND_JOB, InvalidEmailError, queueEmail } from "~/features/emails/email.server";
import { getEmail } from "~/features/emails/db/emails.server";
import { EmailPropsError } from "../../../emails";
import { providerIdempotencyKey } from "~/features/emails/email-send.job.server";
import { fakeResend } from "../../support/fake-resend";

const database = useTestDatabase();
const db = () => database.get().db;

const resend = fakeResend();
beforeAll(() => resend.start());
afterAll(() => resend.stop());

const outboxServices = () => testContext(database.get()).app;
const resendServices = () =>
  testContext(
    database.get(),
    testConfig({ RESEND_API_KEY: "re_test_key_123", RESEND_BASE_URL: resend.url(), EMAIL_FROM: "Payer Portal <noreply@pay.example.test>" }),
  ).app;

const drain = (services = outboxServices()) => drainJobs(services, { names: [EMAIL_SEND_JOB] });

async function jobsFor(emailId: string) {
  return (await db().execute(
    sql`select state, retry_count from pgboss.job where name = ${EMAIL_SEND_JOB} and data->>'emailId' = ${emailId} order by created_on`,
  )) as unknown as { state: string; retry_count: number }[];
}

async function emailEvents(emailId: string) {
  return db().select().from(events).where(and(sql`${events.data}->>'email_id' = ${emailId}`, sql`${events.type} like 'email.%'`));
}

async function setup(supplier: { notificationEmail?: string; name?: string } = {}) {
  const owner = await createSupplierWithCustomer(db(), { supplier });
  const { invoice } = await createInvoiceWithLink(db(), testConfig(), owner);
  // The payer is a billing contact on file: only those get the invoice's portal link.
  await db().insert(contacts).values({ id: newPublicId("con"), supplierId: owner.supplier.id, customerId: owner.customerId, email: "payer@kund.example" });
  const props = {
    invoiceNumber: invoice.number,
    kind: "invoice" as const,
    reason: "wrong_amount",
    message: "Line 2 should be 10 hours.",
  };
  const input = {
    supplierId: owner.supplier.id,
    customerId: owner.customerId,
    invoiceId: invoice.id,
    template: "problem-received" as const,
    locale: "sv" as const,
    to: "payer@kund.example",
    props,
    idempotencyKey: `test:${randomUUID()}:payer`,
  };
  return { ...owner, input };
}

describe("queueEmail", () => {
  it("writes nothing when the caller's transaction rolls back", async () => {
    const { input } = await setup();
    let emailId = "";
    await expect(
      db().transaction(async (tx) => {
        ({ emailId } = await queueEmail(tx, input));
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(emailId).toMatch(/^msg_/);
    expect(await getEmail(db(), emailId)).toBeUndefined();
    expect(await jobsFor(emailId)).toEqual([]);
  });

  it("commits one queued row and one email.send job with the caller's transaction", async () => {
    const { input, supplier, customerId } = await setup();
    const result = await db().transaction((tx) => queueEmail(tx, input));
    expect(result.queued).toBe(true);
    const row = await getEmail(db(), result.emailId);
    expect(row).toMatchObject({
      supplierId: supplier.id,
      customerId,
      template: "problem-received",
      locale: "sv",
      toAddress: "payer@kund.example",
      status: "queued",
      attempts: 0,
      subject: null,
    });
    // Stored normalised: defaults filled in, ready to render later.
    expect(row!.props).toMatchObject({ ...input.props, deliveryDescription: null });
    expect(await jobsFor(result.emailId)).toEqual([{ state: "created", retry_count: 0 }]);
  });

  it("queues one email however often the same idempotency key is used", async () => {
    const { input } = await setup();
    const first = await queueEmail(db(), input);
    const again = await db().transaction((tx) => queueEmail(tx, { ...input, to: "someone-else@kund.example" }));
    expect(again).toEqual({ emailId: first.emailId, queued: false });
    const rows = await db().select().from(emails).where(eq(emails.idempotencyKey, input.idempotencyKey));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.toAddress).toBe("payer@kund.example");
    expect(await jobsFor(first.emailId)).toHaveLength(1);
  });

  it("fails at once, writing nothing, on bad props, a bad address or a bad key", async () => {
    const { input, supplier } = await setup();
    const before = await db().select().from(emails).where(eq(emails.supplierId, supplier.id));
    await expect(queueEmail(db(), { ...input, props: { ...input.props, invoiceNumber: "" } })).rejects.toThrow(EmailPropsError);
    await expect(queueEmail(db(), { ...input, props: { ...input.props, kind: "lunch" as "invoice" } })).rejects.toThrow(/kind/);
    await expect(queueEmail(db(), { ...input, to: "not an address" })).rejects.toThrow(InvalidEmailError);
    await expect(queueEmail(db(), { ...input, idempotencyKey: " " })).rejects.toThrow(/idempotencyKey/);
    expect(await db().select().from(emails).where(eq(emails.supplierId, supplier.id))).toHaveLength(before.length);
  });
});

describe("email.send without RESEND_API_KEY (the outbox)", () => {
  // Emails queued by earlier tests are sent first, so that each test counts only its own jobs.
  beforeEach(() => drain());

  it("renders in the row's language and delivers to the outbox once, even when the job runs twice", async () => {
    const { input, supplier } = await setup({ name: "Nordljus Konsult AB" });
    const { emailId } = await queueEmail(db(), input);
    // A duplicate job for the same email, as a queue may deliver one twice.
    await enqueueJob(db(), EMAIL_SEND_JOB, { emailId });

    expect(await drain()).toBe(2);
    expect(await drain()).toBe(0);

    const row = await getEmail(db(), emailId);
    expect(row).toMatchObject({ status: "sent", transport: "outbox", providerId: null, attempts: 0, error: null });
    expect(row!.sentAt).toBeInstanceOf(Date);
    expect(row!.subject).toBe(`Vi har tagit emot din anmälan om faktura ${input.props.invoiceNumber}`);
    expect(row!.html).toContain('lang="sv"');
    // The stored copy holds a placeholder where the email's own portal link goes (L1).
    expect(row!.text).toContain(PORTAL_LINK_PLACEHOLDER);
    expect(row!.text).not.toContain("https://pay.example.test/i/");
    expect(row!.linkId).toMatch(/^lnk_/);
    expect(row!.text).toContain("Nordljus Konsult AB");
    expect((await jobsFor(emailId)).map((job) => job.state)).toEqual(["completed", "completed"]);

    const sent = await emailEvents(emailId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      supplierId: supplier.id,
      type: "email.sent",
      actor: "system",
      data: { email_id: emailId, template: "problem-received", to: "payer@kund.example", transport: "outbox" },
    });
  });

  it("gives an address that is not a billing contact on file the payment facts but no portal link", async () => {
    const { input } = await setup();
    const { emailId } = await queueEmail(db(), { ...input, to: "someone-who-typed-this@example.com", idempotencyKey: `test:${randomUUID()}:typed` });
    await drain();
    const row = await getEmail(db(), emailId);
    expect([row?.status, row?.linkId]).toEqual(["sent", null]);
    expect(row!.text).toContain("OCR");
    expect(row!.text).not.toContain(PORTAL_LINK_PLACEHOLDER);
    expect(row!.text).not.toMatch(/\/i\//);
  });
});

describe("email configuration", () => {
  const production = { NODE_ENV: "production", PUBLIC_BASE_URL: "https://pay.example.com", LINK_SIGNING_KEYS: TEST_LINK_KEYS };

  it("sends to the outbox from a default sender when nothing is configured", () => {
    expect(testConfig().email).toEqual({ from: { name: "Payer Portal", address: "noreply@localhost" }, resend: null });
  });

  it("uses Resend when RESEND_API_KEY is set, at its address unless told otherwise", () => {
    expect(testConfig({ RESEND_API_KEY: "re_1" }).email.resend).toEqual({ apiKey: "re_1", baseUrl: "https://api.resend.com" });
    expect(testConfig({ RESEND_API_KEY: "re_1", RESEND_BASE_URL: "http://127.0.0.1:4010/" }).email.resend?.baseUrl).toBe(
      "http://127.0.0.1:4010",
    );
    expect(testConfig({ EMAIL_FROM: "pay@acme.example" }).email.from).toEqual({ name: null, address: "pay@acme.example" });
  });

  it("requires EMAIL_FROM in production only when Resend is used, and refuses a malformed one", () => {
    expect(() => loadConfig({ ...production, RESEND_API_KEY: "re_1" })).toThrow(/EMAIL_FROM: required in production/);
    expect(loadConfig({ ...production, RESEND_API_KEY: "re_1", EMAIL_FROM: "Acme <pay@acme.example>" }).email.from.address).toBe(
      "pay@acme.example",
    );
    expect(loadConfig(production).email.resend).toBeNull();
    expect(() => testConfig({ EMAIL_FROM: "Acme <not an address>" })).toThrow(ConfigError);
    expect(() => testConfig({ RESEND_BASE_URL: "ftp://resend.example" })).toThrow(/RESEND_BASE_URL/);
  });
});

describe("email.send with Resend (real SDK, local fake API)", () => {
  beforeEach(() => drain());

  it("posts once with the Idempotency-Key and the rendered message, even when the job runs twice", async () => {
    const { input } = await setup({ name: "Nordljus Konsult AB", notificationEmail: "ekonomi@nordljus.example" });
    resend.requests.length = 0;
    resend.reply({ status: 200, body: { id: "re_email_0001" } });
    const { emailId } = await queueEmail(db(), input);
    await enqueueJob(db(), EMAIL_SEND_JOB, { emailId });

    expect(await drain(resendServices())).toBe(2);
    expect(await drain(resendServices())).toBe(0);

    expect(resend.requests).toHaveLength(1);
    const [request] = resend.requests;
    expect(request).toMatchObject({ method: "POST", url: "/emails" });
    expect(request!.headers["idempotency-key"]).toBe(input.idempotencyKey);
    expect(request!.headers.authorization).toBe("Bearer re_test_key_123");
    const row = await getEmail(db(), emailId);
    const portalUrl = /https:\/\/pay\.example\.test\/i\/[A-Za-z0-9._-]+/.exec(String(request!.body.text))![0];
    expect(request!.body).toMatchObject({
      // The payer sees the supplier as the sender, and replies reach its notification address.
      from: '"Nordljus Konsult AB" <noreply@pay.example.test>',
      reply_to: "ekonomi@nordljus.example",
      to: ["payer@kund.example"],
      subject: `Vi har tagit emot din anmälan om faktura ${input.props.invoiceNumber}`,
      html: row!.html!.replaceAll(PORTAL_LINK_PLACEHOLDER, portalUrl),
      text: row!.text!.replaceAll(PORTAL_LINK_PLACEHOLDER, portalUrl),
      tags: [{ name: "email_id", value: emailId }, { name: "template", value: "problem-received" }],
    });
    // The link the payer gets opens the invoice's page.
    const resolved = await resolveInvoiceToken(db(), testConfig(), tokenFromUrl(portalUrl));
    expect(resolved).toMatchObject({ ok: true, link: { invoiceId: input.invoiceId, linkId: row!.linkId } });
    expect(row).toMatchObject({ status: "sent", transport: "resend", providerId: "re_email_0001", attempts: 0 });
    expect((await emailEvents(emailId)).map((event) => event.data)).toEqual([
      expect.objectContaining({ transport: "resend", provider_id: "re_email_0001" }),
    ]);
  });

  it("sends a key that cannot be a header value as its stable hash", async () => {
    const { input } = await setup();
    resend.requests.length = 0;
    resend.reply({ status: 200, body: { id: "re_email_0004" } });
    const key = `contact:con_1:åsa@kund.example:${randomUUID()}`;
    await queueEmail(db(), { ...input, idempotencyKey: key });
    expect(await drain(resendServices())).toBe(1);
    const sent = resend.requests[0]!.headers["idempotency-key"];
    expect(sent).toBe(providerIdempotencyKey(key));
    expect(sent).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("sends supplier emails from the portal's own address, without a reply-to", async () => {
    const { supplier, customerId } = await setup({ notificationEmail: "ekonomi@nordljus.example" });
    resend.requests.length = 0;
    resend.reply({ status: 200, body: { id: "re_email_0002" } });
    await queueEmail(db(), {
      supplierId: supplier.id,
      customerId,
      template: "invoice-confirmed",
      locale: "en",
      to: "ekonomi@nordljus.example",
      props: { invoiceNumber: "2026-2001", invoiceId: "inv_x", customerName: "Fjällbacka Bygg AB", confirmedAt: new Date() },
      idempotencyKey: `test:${randomUUID()}:supplier`,
    });
    expect(await drain(resendServices())).toBe(1);
    expect(resend.requests).toHaveLength(1);
    expect(resend.requests[0]!.body).toMatchObject({
      from: '"Payer Portal" <noreply@pay.example.test>',
      subject: "Invoice 2026-2001 confirmed by Fjällbacka Bygg AB",
    });
    expect(resend.requests[0]!.body).not.toHaveProperty("reply_to");
  });

  it("keeps the email queued after a 500, counts the attempt, and the retry sends the same message with the same key", async () => {
    const { input } = await setup();
    resend.requests.length = 0;
    resend.reply(
      { status: 500, body: { statusCode: 500, name: "internal_server_error", message: "Resend is down" } },
      { status: 200, body: { id: "re_email_0003" } },
    );
    const { emailId } = await queueEmail(db(), input);

    expect(await drain(resendServices())).toBe(1);
    const failed = await getEmail(db(), emailId);
    expect(failed).toMatchObject({ status: "queued", attempts: 1, transport: null, sentAt: null });
    expect(failed!.error).toContain("Resend is down");
    // pg-boss holds the job for a retry later (60 s back-off), so this drain does not run it again.
    expect(await jobsFor(emailId)).toEqual([{ state: "retry", retry_count: 0 }]);
    expect(await drain(resendServices())).toBe(0);
    expect(await emailEvents(emailId)).toEqual([]);

    // The back-off is over: the retry sends the very message stored at the first attempt.
    await db().execute(sql`update pgboss.job set start_after = now() where name = ${EMAIL_SEND_JOB} and data->>'emailId' = ${emailId}`);
    expect(await drain(resendServices())).toBe(1);
    expect(resend.requests).toHaveLength(2);
    expect(resend.requests[1]!.headers["idempotency-key"]).toBe(resend.requests[0]!.headers["idempotency-key"]);
    expect(resend.requests[1]!.body).toEqual(resend.requests[0]!.body);
    expect(await getEmail(db(), emailId)).toMatchObject({ status: "sent", providerId: "re_email_0003", attempts: 1 });
    expect(await jobsFor(emailId)).toEqual([{ state: "completed", retry_count: 1 }]);
  });

  it("gives up at once on a request Resend rejects as invalid, and records why", async () => {
    const { input } = await setup();
    resend.requests.length = 0;
    resend.reply({ status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `to` field." } });
    const { emailId } = await queueEmail(db(), input);

    expect(await drain(resendServices())).toBe(1);
    expect(resend.requests).toHaveLength(1);
    const row = await getEmail(db(), emailId);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row!.error).toContain("validation_error");
    expect(await jobsFor(emailId)).toEqual([{ state: "completed", retry_count: 0 }]);
    expect((await emailEvents(emailId)).map((event) => event.type)).toEqual(["email.failed"]);
  });

  it("marks the email failed after its last attempt, instead of retrying for ever", async () => {
    const { input } = await setup();
    resend.reply({ status: 503, body: { statusCode: 503, name: "application_error", message: "Unavailable" } });
    const { emailId } = await queueEmail(db(), input);
    // Five attempts have failed already; this run is the sixth and last (retryLimit 5).
    await db().update(emails).set({ attempts: 5 }).where(eq(emails.id, emailId));
    expect(await drain(resendServices())).toBe(1);
    expect(await getEmail(db(), emailId)).toMatchObject({ status: "failed", attempts: 6 });
    expect(await jobsFor(emailId)).toEqual([{ state: "completed", retry_count: 0 }]);
    expect((await emailEvents(emailId)).map((event) => event.type)).toEqual(["email.failed"]);
  });

  it("fails an email whose stored props no longer fit its template, without calling Resend", async () => {
    const { input } = await setup();
    resend.requests.length = 0;
    const { emailId } = await queueEmail(db(), input);
    await db().update(emails).set({ props: { invoiceNumber: 1 } }).where(eq(emails.id, emailId));
    expect(await drain(resendServices())).toBe(1);
    expect(resend.requests).toHaveLength(0);
    expect(await getEmail(db(), emailId)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await jobsFor(emailId)).toEqual([{ state: "completed", retry_count: 0 }]);
  });

  it("counts a refused connection as a failed attempt to retry", async () => {
    const { input } = await setup();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const services = testContext(
      database.get(),
      testConfig({ RESEND_API_KEY: "re_test_key_123", RESEND_BASE_URL: `http://127.0.0.1:${port}` }),
    ).app;
    const { emailId } = await queueEmail(db(), input);
    expect(await drain(services)).toBe(1);
    expect(await getEmail(db(), emailId)).toMatchObject({ status: "queued", attempts: 1 });
    expect(await jobsFor(emailId)).toEqual([{ state: "retry", retry_count: 0 }]);
  });
});
