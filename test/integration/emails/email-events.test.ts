// Resend's webhook at /webhooks/resend (security J3): a permanent bounce or a spam complaint,
// verified with Resend's SDK on the raw body, marks the email bounced, suppresses the address for
// the supplier that mailed it, marks its contacts as failing and tells the supplier (timeline,
// webhook, email) — once, however often the event is delivered. Deliveries and openings date the
// email (delivered_at, opened_at: a campaign's progress). Bodies are signed with `standardwebhooks`, the algorithm
// Svix (Resend's webhook sender) uses, and sent with Svix's header names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { contacts, emailProviderEvents, emailSuppressions, emails, events } from "../../../db/schema";
import { action, loader } from "~/routes/webhooks.resend";
import { action as addContactAction, loader as contactsLoader } from "~/routes/api.v1.customers.$id.contacts";
import { action as contactAction, loader as contactLoader } from "~/routes/api.v1.customers.$id.contacts.$contactId";
import { loader as suppressionsLoader } from "~/routes/api.v1.email-suppressions";
import { action as suppressionAction, loader as suppressionLoader } from "~/routes/api.v1.email-suppressions.$address";
import { drainJobs } from "~/platform/jobs/queue.server";
import { insertEmail } from "~/features/emails/db/emails.server";
import { insertBillingContact } from "~/features/customers/db/customers.server";
import { EMAIL_SEND_JOB, queueEmail } from "~/features/emails/email.server";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { BILLING_EMAIL, openPage, payerFixture, post, SUPPLIER_INBOX, webhookMessagesOf, type PayerFixture } from "../portal/payer-helpers";

const database = useTestDatabase();
const db = () => database.get().db;
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const config = testConfig({ RESEND_WEBHOOK_SECRET: SECRET });
const context = () => testContext(database.get(), config);

// --- Resend's side: signed deliveries ---

type Delivery = { body: string; headers: Record<string, string> };

function sign(body: string, options: { id?: string; timestamp?: number; secret?: string } = {}): Delivery {
  const id = options.id ?? `msg_${randomBytes(12).toString("hex")}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = new Webhook(options.secret ?? SECRET).sign(id, new Date(timestamp * 1000), body);
  return {
    body,
    headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": signature },
  };
}

function resendEvent(type: string, providerId: string, data: Record<string, unknown> = {}, createdAt = new Date()): string {
  // Indented like Resend's own bodies, so that a re-serialised copy differs in its bytes.
  return JSON.stringify(
    {
      type,
      created_at: createdAt.toISOString(),
      data: { email_id: providerId, created_at: new Date().toISOString(), from: "x <noreply@pay.example.test>", to: [BILLING_EMAIL], subject: "Faktura", ...data },
    },
    null,
    2,
  );
}

const permanentBounce = (providerId: string) =>
  resendEvent("email.bounced", providerId, {
    bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 The email account does not exist." },
  });

async function deliver(delivery: Delivery, ctx = context()) {
  const response = await callRoute(action, ctx, { method: "POST", path: "/webhooks/resend", headers: delivery.headers, body: delivery.body });
  return { status: response.status, text: await response.text() };
}

// --- Our side ---

/** An email of ours that Resend accepted (as the email.send job leaves it). */
async function sentEmail(fixture: PayerFixture, to = BILLING_EMAIL): Promise<{ emailId: string; providerId: string }> {
  const providerId = randomUUID();
  const { id } = await insertEmail(db(), {
    supplierId: fixture.supplier.id,
    invoiceId: fixture.invoice.id,
    customerId: fixture.customerId,
    idempotencyKey: `test:${randomUUID()}`,
    template: "contact-changed",
    locale: "sv",
    props: {},
    toAddress: to,
  });
  await db().update(emails).set({ status: "sent", transport: "resend", providerId, sentAt: new Date() }).where(eq(emails.id, id));
  return { emailId: id, providerId };
}

async function contactsOf(supplierId: string) {
  return db().select().from(contacts).where(eq(contacts.supplierId, supplierId)).orderBy(asc(contacts.createdAt), asc(contacts.id));
}

const suppressionsOf = (supplierId: string) =>
  db().select().from(emailSuppressions).where(eq(emailSuppressions.supplierId, supplierId));

const supplierEmails = (supplierId: string) =>
  db().select().from(emails).where(and(eq(emails.supplierId, supplierId), eq(emails.template, "email-failing")));

const eventsOfType = (supplierId: string, type: string) =>
  db().select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.type, type))).orderBy(asc(events.seq));

/** Every row a webhook could write: equal before and after means nothing was written. */
async function counts() {
  const [row] = await db().execute<Record<string, string>>(sql`select
    (select count(*) from email_suppressions) as suppressions,
    (select count(*) from email_provider_events) as provider_events,
    (select count(*) from contacts where email_failing_at is not null) as failing_contacts,
    (select count(*) from emails) as emails,
    (select count(*) from events) as events,
    (select count(*) from webhook_messages) as webhook_messages`);
  return row;
}

async function fixtureWithContacts() {
  const fixture = await payerFixture(db(), config);
  // The same mailbox written another way, and a colleague whose mail works.
  const sameAddress = await insertBillingContact(db(), {
    supplierId: fixture.supplier.id,
    customerId: fixture.customerId,
    email: BILLING_EMAIL.toUpperCase(),
    language: "sv",
  });
  const colleague = await insertBillingContact(db(), {
    supplierId: fixture.supplier.id,
    customerId: fixture.customerId,
    email: "kollega@fjallbacka.example",
    language: "sv",
  });
  return { ...fixture, sameAddress, colleague };
}

describe("a permanent bounce", () => {
  it("suppresses the address, marks its contacts, and tells the supplier on the timeline, by webhook and by email", async () => {
    const fixture = await fixtureWithContacts();
    // Another supplier mails the same address: its contact and its mail are none of this bounce's business.
    const stranger = await payerFixture(db(), config);
    const { emailId, providerId } = await sentEmail(fixture);

    const delivery = sign(permanentBounce(providerId));
    expect(await deliver(delivery)).toEqual({ status: 200, text: JSON.stringify({ received: true }) });

    const [suppression, ...more] = await suppressionsOf(fixture.supplier.id);
    expect(more).toEqual([]);
    expect(suppression).toMatchObject({
      address: BILLING_EMAIL,
      reason: "bounced",
      detail: "General: 550 5.1.1 The email account does not exist.",
      emailId,
    });

    const rows = await contactsOf(fixture.supplier.id);
    expect(rows.map((row) => [row.id, row.emailFailure])).toEqual([
      [fixture.contactId, "bounced"],
      [fixture.sameAddress, "bounced"],
      [fixture.colleague, null],
    ]);
    expect(rows[0]!.emailFailingAt).toBeInstanceOf(Date);
    expect((await contactsOf(stranger.supplier.id)).map((row) => row.emailFailure)).toEqual([null]);
    expect(await suppressionsOf(stranger.supplier.id)).toEqual([]);

    const [timeline] = await eventsOfType(fixture.supplier.id, "email.bounced");
    expect(timeline).toMatchObject({
      invoiceId: fixture.invoice.id,
      customerId: fixture.customerId,
      actor: "system",
      data: {
        email_id: emailId,
        address: BILLING_EMAIL,
        detail: "General: 550 5.1.1 The email account does not exist.",
        contact_ids: [fixture.contactId, fixture.sameAddress],
      },
    });

    const messages = await webhookMessagesOf(db(), fixture.supplier.id, "contact.email_failing");
    expect(messages.map((message) => message.payload)).toEqual([
      {
        address: BILLING_EMAIL,
        reason: "bounced",
        detail: "General: 550 5.1.1 The email account does not exist.",
        email_id: emailId,
        invoice_id: fixture.invoice.id,
        customer_id: fixture.customerId,
        contact_ids: [fixture.contactId, fixture.sameAddress],
      },
    ]);

    const [alert, ...others] = await supplierEmails(fixture.supplier.id);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      toAddress: SUPPLIER_INBOX,
      locale: "sv",
      status: "queued",
      idempotencyKey: `email-failing:${emailId}`,
      props: {
        address: BILLING_EMAIL,
        reason: "bounced",
        customerName: "Fjällbacka Bygg AB",
        invoiceNumber: fixture.invoice.number,
        detail: "General: 550 5.1.1 The email account does not exist.",
      },
    });

    const [recorded] = await db().select().from(emailProviderEvents).where(eq(emailProviderEvents.eventId, delivery.headers["svix-id"]!));
    expect(recorded).toMatchObject({ type: "email.bounced", providerEmailId: providerId, outcome: "applied" });
    const [email] = await db().select().from(emails).where(eq(emails.id, emailId));
    expect(email!.bouncedAt).toBeInstanceOf(Date);
    expect(email).toMatchObject({ deliveredAt: null, openedAt: null });

    // The supplier's API shows which contacts need a new address.
    const listed = await callRoute(contactsLoader, context(), {
      path: `/api/v1/customers/${fixture.customerId}/contacts`,
      params: { id: fixture.customerId },
      headers: fixture.api,
    });
    const { data } = (await listed.json()) as { data: { id: string; email_status: string }[] };
    expect(data.map((contact) => [contact.id, contact.email_status])).toEqual([
      [fixture.contactId, "bounced"],
      [fixture.sameAddress, "bounced"],
      [fixture.colleague, "ok"],
    ]);
  });

  it("a complaint suppresses too, as complained; without a notification address only the webhook tells", async () => {
    const fixture = await payerFixture(db(), config, { notificationEmail: null });
    const { emailId, providerId } = await sentEmail(fixture);
    expect((await deliver(sign(resendEvent("email.complained", providerId)))).status).toBe(200);
    expect((await db().select().from(emails).where(eq(emails.id, emailId)))[0]!.bouncedAt).toBeInstanceOf(Date);
    expect(await suppressionsOf(fixture.supplier.id)).toMatchObject([{ address: BILLING_EMAIL, reason: "complained", detail: null }]);
    expect((await contactsOf(fixture.supplier.id)).map((row) => row.emailFailure)).toEqual(["complained"]);
    expect(await eventsOfType(fixture.supplier.id, "email.complained")).toHaveLength(1);
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "contact.email_failing")).toHaveLength(1);
    expect(await supplierEmails(fixture.supplier.id)).toEqual([]);
  });

  it("a second bounce to an address already suppressed goes on the timeline, and nowhere else", async () => {
    const fixture = await fixtureWithContacts();
    const first = await sentEmail(fixture);
    const second = await sentEmail(fixture, BILLING_EMAIL.toUpperCase());
    expect((await deliver(sign(permanentBounce(first.providerId)))).status).toBe(200);
    const again = sign(permanentBounce(second.providerId));
    expect((await deliver(again)).status).toBe(200);

    expect(await suppressionsOf(fixture.supplier.id)).toMatchObject([{ emailId: first.emailId }]);
    expect((await eventsOfType(fixture.supplier.id, "email.bounced")).map((event) => (event.data as { email_id: string }).email_id)).toEqual([
      first.emailId,
      second.emailId,
    ]);
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "contact.email_failing")).toHaveLength(1);
    expect(await supplierEmails(fixture.supplier.id)).toHaveLength(1);
    const [recorded] = await db().select().from(emailProviderEvents).where(eq(emailProviderEvents.eventId, again.headers["svix-id"]!));
    expect(recorded!.outcome).toBe("already_suppressed");
  });
});

describe("redeliveries (Resend retries until it gets a 2xx)", () => {
  it("the same event 10 times in a row, then 10 at once: one suppression, one supplier email, one webhook", async () => {
    const fixture = await fixtureWithContacts();
    const { providerId } = await sentEmail(fixture);
    const delivery = sign(permanentBounce(providerId));
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await deliver(delivery)).status).toBe(200);
    const afterSequential = await counts();

    const other = await fixtureWithContacts();
    const { providerId: otherProviderId } = await sentEmail(other);
    const concurrent = sign(permanentBounce(otherProviderId));
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(concurrent)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));

    for (const owner of [fixture, other]) {
      expect(await suppressionsOf(owner.supplier.id)).toHaveLength(1);
      expect(await supplierEmails(owner.supplier.id)).toHaveLength(1);
      expect(await webhookMessagesOf(db(), owner.supplier.id, "contact.email_failing")).toHaveLength(1);
      expect(await eventsOfType(owner.supplier.id, "email.bounced")).toHaveLength(1);
    }
    // The sequential repeats wrote nothing after the first.
    await deliver(delivery);
    const now = await counts();
    expect(Number(now!.provider_events) - Number(afterSequential!.provider_events)).toBe(1);
    expect(Number(now!.suppressions) - Number(afterSequential!.suppressions)).toBe(1);
  });
});

describe("what is refused, and writes nothing", () => {
  it("bad or missing signatures, stale or future timestamps, re-serialised or tampered bodies → 400", async () => {
    const fixture = await fixtureWithContacts();
    const { providerId } = await sentEmail(fixture);
    const body = permanentBounce(providerId);
    const now = () => Math.floor(Date.now() / 1000);
    const valid = sign(body);
    const without = (name: string) => ({ ...valid, headers: Object.fromEntries(Object.entries(valid.headers).filter(([key]) => key !== name)) });

    const before = await counts();
    const refused = [
      await deliver({ ...valid, body: JSON.stringify(JSON.parse(body)) }), // same JSON, other bytes
      await deliver({ ...valid, body: body.replace("Permanent", "Transient") }),
      await deliver(sign(body, { secret: `whsec_${randomBytes(24).toString("base64")}` })),
      await deliver(sign(body, { timestamp: now() - 301 })),
      // 302: the clock may tick between signing and verifying; the SDK refuses anything beyond 300.
      await deliver(sign(body, { timestamp: now() + 302 })),
      await deliver({ ...valid, headers: { ...valid.headers, "svix-id": "msg_someone_else" } }),
      await deliver({ ...valid, headers: { ...valid.headers, "svix-timestamp": `${valid.headers["svix-timestamp"]}abc` } }),
      await deliver({ ...valid, headers: { ...valid.headers, "svix-signature": "v1,bm90IGEgc2lnbmF0dXJl" } }),
      await deliver(without("svix-id")),
      await deliver(without("svix-timestamp")),
      await deliver(without("svix-signature")),
      await deliver(sign("not json")),
      await deliver(sign(JSON.stringify({ hello: "world" }))),
    ];
    expect(refused.map((answer) => answer.status)).toEqual(Array(13).fill(400));
    expect(refused[3]!.text).toContain("stale");
    expect(refused[4]!.text).toContain("future");
    expect(refused[8]!.text).toContain("missing headers");
    expect(await counts()).toEqual(before);

    // …while the genuine delivery still goes through.
    expect((await deliver(valid)).status).toBe(200);
    expect(await suppressionsOf(fixture.supplier.id)).toHaveLength(1);
  });

  it("without RESEND_WEBHOOK_SECRET the route does not exist: 404 even for a well-signed bounce", async () => {
    const fixture = await fixtureWithContacts();
    const { providerId } = await sentEmail(fixture);
    const unconfigured = testContext(database.get(), testConfig());
    const before = await counts();
    expect((await deliver(sign(permanentBounce(providerId)), unconfigured)).status).toBe(404);
    expect((await callRoute(loader, unconfigured, { path: "/webhooks/resend" })).status).toBe(404);
    expect(await counts()).toEqual(before);
    expect((await callRoute(loader, context(), { path: "/webhooks/resend" })).status).toBe(405);
  });
});

describe("events that suppress nothing", () => {
  it("a transient bounce, a click, and a delivery of an email that is not ours are recorded, nothing more", async () => {
    const fixture = await fixtureWithContacts();
    const { emailId, providerId } = await sentEmail(fixture);
    const deliveries = {
      transient: sign(resendEvent("email.bounced", providerId, { bounce: { type: "Transient", subType: "MailboxFull", message: "452 mailbox full" } })),
      ignored: sign(resendEvent("email.clicked", providerId)),
      not_ours: sign(resendEvent("email.delivered", randomUUID())),
    };
    const before = await counts();
    for (const delivery of Object.values(deliveries)) expect((await deliver(delivery)).status).toBe(200);
    for (const [outcome, delivery] of Object.entries(deliveries)) {
      const [row] = await db().select().from(emailProviderEvents).where(eq(emailProviderEvents.eventId, delivery.headers["svix-id"]!));
      expect(row!.outcome).toBe(outcome);
    }
    const after = await counts();
    expect({ ...after, provider_events: before!.provider_events }).toEqual(before);
    expect(Number(after!.provider_events)).toBe(Number(before!.provider_events) + 3);
    expect(await db().select().from(emails).where(eq(emails.id, emailId))).toMatchObject([{ deliveredAt: null, openedAt: null, bouncedAt: null }]);
  });
});

describe("deliveries and openings", () => {
  const outcomeOf = async (emailId: string) => {
    const [row] = await db()
      .select({ deliveredAt: emails.deliveredAt, openedAt: emails.openedAt, bouncedAt: emails.bouncedAt })
      .from(emails)
      .where(eq(emails.id, emailId));
    return row!;
  };
  // One clock reading per test, so that every "n minutes ago" names the same instant throughout.
  const clock = () => {
    const start = Date.now();
    return (minutes: number) => new Date(start - minutes * 60_000);
  };

  it("date the email once, at the first delivery and the first opening, however often and in whatever order Resend reports them", async () => {
    const minutesAgo = clock();
    const fixture = await fixtureWithContacts();
    const { emailId, providerId } = await sentEmail(fixture);
    const other = await sentEmail(fixture, "kollega@fjallbacka.example");
    const before = await counts();

    const delivered = sign(resendEvent("email.delivered", providerId, {}, minutesAgo(30)));
    expect((await deliver(delivered)).status).toBe(200);
    expect(await outcomeOf(emailId)).toEqual({ deliveredAt: minutesAgo(30), openedAt: null, bouncedAt: null });

    // Opened twice, the later opening reported first; the delivery delivered again.
    for (const delivery of [
      sign(resendEvent("email.opened", providerId, {}, minutesAgo(5))),
      sign(resendEvent("email.opened", providerId, {}, minutesAgo(20))),
      delivered,
    ]) {
      expect((await deliver(delivery)).status).toBe(200);
    }
    expect(await outcomeOf(emailId)).toEqual({ deliveredAt: minutesAgo(30), openedAt: minutesAgo(20), bouncedAt: null });
    // The other email, to a colleague, is none of these events' business.
    expect(await outcomeOf(other.emailId)).toEqual({ deliveredAt: null, openedAt: null, bouncedAt: null });

    const outcomes = await db().select({ outcome: emailProviderEvents.outcome }).from(emailProviderEvents).where(eq(emailProviderEvents.providerEmailId, providerId));
    expect(outcomes.map((row) => row.outcome)).toEqual(["applied", "applied", "applied"]);
    // Nothing else is written: no suppression, no timeline event, no webhook, no email.
    const after = await counts();
    expect({ ...after, provider_events: before!.provider_events }).toEqual(before);
  });

  it("an opening reported before the delivery counts as delivered; an event time still to come is taken as now", async () => {
    const minutesAgo = clock();
    const fixture = await fixtureWithContacts();
    const { emailId, providerId } = await sentEmail(fixture);
    expect((await deliver(sign(resendEvent("email.opened", providerId, {}, minutesAgo(10)))))).toMatchObject({ status: 200 });
    expect(await outcomeOf(emailId)).toEqual({ deliveredAt: minutesAgo(10), openedAt: minutesAgo(10), bouncedAt: null });
    expect((await deliver(sign(resendEvent("email.delivered", providerId, {}, minutesAgo(11)))))).toMatchObject({ status: 200 });
    expect((await outcomeOf(emailId)).deliveredAt).toEqual(minutesAgo(11));

    const later = await sentEmail(fixture);
    const received = Date.now();
    expect((await deliver(sign(resendEvent("email.delivered", later.providerId, {}, new Date(Date.now() + 3_600_000)))))).toMatchObject({ status: 200 });
    const { deliveredAt } = await outcomeOf(later.emailId);
    expect(deliveredAt!.getTime()).toBeGreaterThanOrEqual(received);
    expect(deliveredAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("an email kept in the development outbox is delivered when it is sent", async () => {
    const fixture = await payerFixture(db(), config, { notificationEmail: null });
    const { emailId } = await queueEmail(db(), {
      supplierId: fixture.supplier.id,
      invoiceId: fixture.invoice.id,
      customerId: fixture.customerId,
      template: "contact-changed",
      locale: "sv",
      to: BILLING_EMAIL,
      idempotencyKey: `outbox-delivered:${randomUUID()}`,
      props: { customerName: "Fjällbacka Bygg AB", changes: [{ field: "phone", from: null, to: "+46701234567" }], changedAt: new Date() },
    });
    await drainJobs(context().app, { names: [EMAIL_SEND_JOB] });
    const [row] = await db().select().from(emails).where(eq(emails.id, emailId));
    expect(row).toMatchObject({ status: "sent", transport: "outbox", openedAt: null, bouncedAt: null });
    expect(row!.deliveredAt).toEqual(row!.sentAt);
  });
});

describe("recovery: a new address, or lifting the suppression", () => {
  async function bounced() {
    const fixture = await fixtureWithContacts();
    const { providerId } = await sentEmail(fixture);
    expect((await deliver(sign(permanentBounce(providerId)))).status).toBe(200);
    return fixture;
  }
  const patchContact = (fixture: PayerFixture, contactId: string, json: unknown) =>
    callRoute(contactAction, context(), {
      method: "PATCH",
      path: `/api/v1/customers/${fixture.customerId}/contacts/${contactId}`,
      params: { id: fixture.customerId, contactId },
      headers: fixture.api,
      json,
    });

  it("PATCH of the contact's email clears its flag; back to the suppressed address flags it again", async () => {
    const fixture = await bounced();
    const fixed = await patchContact(fixture, fixture.contactId, { email: "ny.ekonomi@fjallbacka.example" });
    expect(fixed.status).toBe(200);
    expect(await fixed.json()).toMatchObject({ id: fixture.contactId, email: "ny.ekonomi@fjallbacka.example", email_status: "ok" });
    const [event] = await eventsOfType(fixture.supplier.id, "contact.updated");
    expect(event).toMatchObject({ actor: "supplier", data: { contact_id: fixture.contactId, changed: ["email"] } });
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "contact.updated")).toHaveLength(1);
    // The other contact with the old address still fails, and the address stays suppressed.
    expect((await contactsOf(fixture.supplier.id)).map((row) => row.emailFailure)).toEqual([null, "bounced", null]);
    expect(await suppressionsOf(fixture.supplier.id)).toHaveLength(1);

    const back = await patchContact(fixture, fixture.contactId, { email: BILLING_EMAIL.toUpperCase() });
    expect(await back.json()).toMatchObject({ email_status: "bounced" });
    // A contact added with a suppressed address shows as failing from the start.
    const added = await callRoute(addContactAction, context(), {
      method: "POST",
      path: `/api/v1/customers/${fixture.customerId}/contacts`,
      params: { id: fixture.customerId },
      headers: fixture.api,
      json: { email: ` ${BILLING_EMAIL} `, name: "Ny" },
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ email_status: "bounced" });
    // A phone number alone changes nothing about the address.
    expect(await (await patchContact(fixture, fixture.sameAddress, { phone: "+46 70 111 22 33" })).json()).toMatchObject({ email_status: "bounced" });
  });

  it("PATCH answers 404 for another supplier's contact and 422 for a change the contact rules refuse", async () => {
    const fixture = await bounced();
    const stranger = await payerFixture(db(), config);
    const before = await counts();
    expect((await patchContact(stranger, fixture.contactId, { email: "x@y.example" })).status).toBe(404);
    expect((await patchContact({ ...stranger, customerId: fixture.customerId }, fixture.contactId, { email: "x@y.example" })).status).toBe(404);
    const refused = await patchContact(fixture, fixture.contactId, { email: null });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ errors: [{ field: "email" }] });
    expect((await patchContact(fixture, fixture.contactId, { surname: "x" })).status).toBe(422);
    expect((await patchContact(fixture, fixture.contactId, {})).status).toBe(422);
    expect(await counts()).toEqual(before);
    const one = await callRoute(contactLoader, context(), {
      path: `/api/v1/customers/${fixture.customerId}/contacts/${fixture.contactId}`,
      params: { id: fixture.customerId, contactId: fixture.contactId },
      headers: fixture.api,
    });
    expect(await one.json()).toMatchObject({ id: fixture.contactId, email_status: "bounced" });
  });

  it("the payer's own contact form: the page asks for a new address, and a new address clears the flag", async () => {
    const fixture = await bounced();
    const failing = async () => (await openPage(context(), fixture.token)).panel.contacts.find((c) => c.id === fixture.contactId)?.emailFailure;
    expect(await failing()).toBe("bounced");
    const response = await post(context(), fixture.token, {
      intent: "update-contact",
      contact_id: fixture.contactId,
      name: "Eva Ekonomi",
      email: "eva@fjallbacka.example",
      phone: "",
      invoice_reference: "",
      address_line1: "",
      address_line2: "",
      postal_code: "",
      city: "",
      country: "",
      language: "sv",
      channel: "email",
      peppol_id: "",
    });
    expect(response.status).toBe(303);
    const [row] = await db().select().from(contacts).where(eq(contacts.id, fixture.contactId));
    expect(row).toMatchObject({ email: "eva@fjallbacka.example", emailFailingAt: null, emailFailure: null });
    expect(await failing()).toBeNull();
  });

  it("the API lists a supplier's suppressions only, and lifting one clears its contacts (204, audited)", async () => {
    const fixture = await bounced();
    const stranger = await payerFixture(db(), config);
    const list = async (owner: PayerFixture, query = "") =>
      (await (await callRoute(suppressionsLoader, context(), { path: `/api/v1/email-suppressions${query}`, headers: owner.api })).json()) as {
        data: { address: string }[];
        next_cursor: string | null;
      };
    const address = encodeURIComponent(BILLING_EMAIL.toUpperCase());
    const one = (owner: PayerFixture, method = "GET") =>
      callRoute(method === "GET" ? suppressionLoader : suppressionAction, context(), {
        method,
        path: `/api/v1/email-suppressions/${address}`,
        params: { address: BILLING_EMAIL.toUpperCase() },
        headers: owner.api,
      });

    const page = await list(fixture);
    expect(page).toMatchObject({ data: [{ address: BILLING_EMAIL, reason: "bounced" }], next_cursor: null });
    expect(await list(stranger)).toEqual({ data: [], next_cursor: null });
    expect((await one(fixture)).status).toBe(200);
    expect((await one(stranger)).status).toBe(404);
    expect((await one(stranger, "DELETE")).status).toBe(404);
    expect(await suppressionsOf(fixture.supplier.id)).toHaveLength(1);

    expect((await one(fixture, "DELETE")).status).toBe(204);
    expect(await suppressionsOf(fixture.supplier.id)).toEqual([]);
    expect((await contactsOf(fixture.supplier.id)).map((row) => row.emailFailure)).toEqual([null, null, null]);
    expect(await eventsOfType(fixture.supplier.id, "email_suppression.lifted")).toMatchObject([
      { actor: "supplier", data: { address: BILLING_EMAIL, reason: "bounced", contact_ids: [fixture.contactId, fixture.sameAddress] } },
    ]);
    expect((await one(fixture, "DELETE")).status).toBe(404);

    const badQuery = await callRoute(suppressionsLoader, context(), { path: "/api/v1/email-suppressions?cursor=nope", headers: fixture.api });
    expect(badQuery.status).toBe(422);
  });

  it("pages through suppressions by address", async () => {
    const fixture = await payerFixture(db(), config);
    for (const name of ["c", "a", "b"]) {
      const { providerId } = await sentEmail(fixture, `${name}@kund.example`);
      expect((await deliver(sign(permanentBounce(providerId)))).status).toBe(200);
    }
    const seen: string[] = [];
    let query = "?limit=2";
    for (;;) {
      const response = await callRoute(suppressionsLoader, context(), { path: `/api/v1/email-suppressions${query}`, headers: fixture.api });
      const page = (await response.json()) as { data: { address: string }[]; next_cursor: string | null };
      seen.push(...page.data.map((row) => row.address));
      if (!page.next_cursor) break;
      query = `?limit=2&cursor=${page.next_cursor}`;
    }
    expect(seen).toEqual(["a@kund.example", "b@kund.example", "c@kund.example"]);
  });
});

describe("J3: sends to a suppressed address = 0", () => {
  const CHANGED = {
    customerName: "Fjällbacka Bygg AB",
    added: false,
    changes: [{ field: "phone", from: null, to: "+46701234567" }],
    changedAt: new Date().toISOString(),
  };
  let fake: Server;
  const requests: { to: unknown }[] = [];
  beforeAll(async () => {
    fake = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      req.on("end", () => {
        requests.push({ to: (JSON.parse(raw || "{}") as { to?: unknown }).to });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: randomUUID() }));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

  it("an email sent through Resend bounces; every later email to that address ends suppressed, unsent; others still go", async () => {
    const resendConfig = testConfig({
      RESEND_WEBHOOK_SECRET: SECRET,
      RESEND_API_KEY: "re_test_key_123",
      RESEND_BASE_URL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
      EMAIL_FROM: "Payer Portal <noreply@pay.example.test>",
    });
    const services = testContext(database.get(), resendConfig).app;
    const drain = () => drainJobs(services, { names: [EMAIL_SEND_JOB] });
    await drain(); // whatever earlier tests queued

    const fixture = await payerFixture(db(), config, { notificationEmail: null });
    const mail = (to: string, key: string) =>
      queueEmail(db(), {
        supplierId: fixture.supplier.id,
        invoiceId: fixture.invoice.id,
        customerId: fixture.customerId,
        template: "contact-changed",
        locale: "sv",
        to,
        idempotencyKey: `j3:${fixture.supplier.id}:${key}`,
        props: CHANGED,
      });

    const first = await mail(BILLING_EMAIL, "first");
    await drain();
    const [sent] = await db().select().from(emails).where(eq(emails.id, first.emailId));
    expect(sent).toMatchObject({ status: "sent", transport: "resend" });
    expect((await deliver(sign(permanentBounce(sent!.providerId!)), testContext(database.get(), resendConfig))).status).toBe(200);

    requests.length = 0;
    const later = [
      await mail(BILLING_EMAIL, "second"),
      await mail(BILLING_EMAIL.toUpperCase(), "third"),
      await mail(` ${BILLING_EMAIL}`, "fourth"),
    ];
    const unaffected = await mail("kollega@fjallbacka.example", "colleague");
    await drain();
    const statuses = await db()
      .select({ id: emails.id, status: emails.status })
      .from(emails)
      .where(sql`${emails.id} in ${[...later, unaffected].map((row) => row.emailId)}`);
    const statusOf = new Map(statuses.map((row) => [row.id, row.status]));
    expect(later.map((row) => statusOf.get(row.emailId))).toEqual(["suppressed", "suppressed", "suppressed"]);
    expect(statusOf.get(unaffected.emailId)).toBe("sent");
    expect(requests.map((request) => request.to)).toEqual([["kollega@fjallbacka.example"]]);

    // Another supplier mailing the same address is not silenced by this one's bounce.
    const stranger = await payerFixture(db(), config, { notificationEmail: null });
    const theirs = await queueEmail(db(), {
      supplierId: stranger.supplier.id,
      invoiceId: stranger.invoice.id,
      customerId: stranger.customerId,
      template: "contact-changed",
      locale: "sv",
      to: BILLING_EMAIL,
      idempotencyKey: `j3:${stranger.supplier.id}:theirs`,
      props: CHANGED,
    });
    await drain();
    const [their] = await db().select().from(emails).where(eq(emails.id, theirs.emailId));
    expect(their!.status).toBe("sent");
  });
});
