// The campaign page /c/<token>: what a customer sees and answers, and everything the invoice
// page's link guarantees (security L1–L4, L8): one customer's link reaches that customer only,
// dead links look alike, scanners change nothing, answers are idempotent and audited.
import { Writable } from "node:stream";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import pino from "pino";
import { and, eq, sql } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { campaignRecipients, campaigns, contacts, customers, emails, events, webhookMessages } from "../../../db/schema";
import { connect, type Database, type Db } from "../../../db/client";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { createInvoiceWithLink } from "../../support/fixtures";
import { action, loader } from "~/routes/c.$token";
import { loader as invoiceLoader } from "~/routes/i.$token";
import { todayIn } from "~/domain/invoice-status";
import type { PortalPage } from "~/features/portal/portal.server";
import { drainJobs } from "~/platform/jobs/queue.server";
import { parseLinkSigningKeys, signLinkToken, newLinkId } from "~/domain/link-token";
import { shortHash } from "~/platform/logger.server";
import { insertBillingContact } from "~/features/customers/db/customers.server";
import { MAX_CONTACTS_PER_CUSTOMER } from "~/features/customers/contacts.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";
import type { CampaignPage } from "~/features/campaigns/campaign-page.server";
import {
  BROWSER, BROWSER_UA, DAY, MESSAGE, OLD_EMAIL, createCampaignFixture, type CampaignFixtureOptions,
} from "./campaign-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const SAME_ORIGIN = { origin: TEST_BASE_URL, "sec-fetch-site": "same-origin", "user-agent": BROWSER_UA };
const campaignFixture = (options: CampaignFixtureOptions = {}) => createCampaignFixture(db(), config, options);

/** The load context Express would build; the user agent is the request's (a browser's unless said). */
function contextFor(options: { db?: Db; log?: pino.Logger; ip?: string; userAgent?: string } = {}): AppLoadContext {
  const base = testContext(database.get(), config);
  return {
    app: { ...base.app, db: options.db ?? base.app.db, log: options.log ?? base.app.log },
    request: { ...base.request, userAgent: options.userAgent ?? BROWSER_UA, ip: options.ip ?? base.request.ip },
  };
}

function visit(token: string, options: { headers?: Record<string, string>; method?: string; query?: string; context?: AppLoadContext } = {}) {
  const headers = options.headers ?? BROWSER;
  return callRoute(loader, options.context ?? contextFor({ userAgent: headers["user-agent"] ?? "" }), {
    method: options.method ?? "GET",
    path: `/c/${token}${options.query ?? ""}`,
    params: { token },
    headers,
  });
}

async function openPage(token: string, query = "", headers: Record<string, string> = BROWSER): Promise<CampaignPage> {
  const response = await visit(token, { query, headers });
  expect(response.status).toBe(200);
  return (await response.json()) as CampaignPage;
}

const newSubmissionId = () => randomBytes(16).toString("base64url");

/** POSTs a page form as the browser sends it from our own page; a fresh submission id unless given. */
function answer(token: string, fields: Record<string, string>, options: { headers?: Record<string, string>; query?: string } = {}) {
  return callRoute(action, contextFor(), {
    method: "POST",
    path: `/c/${token}${options.query ?? ""}`,
    params: { token },
    headers: options.headers ?? SAME_ORIGIN,
    body: new URLSearchParams({ submission_id: newSubmissionId(), ...fields }),
  });
}

const CONTACT = {
  intent: "update-contact",
  name: "Eva Ekonomi",
  email: OLD_EMAIL,
  phone: "",
  invoice_reference: "Ref 55",
  address_line1: "",
  address_line2: "",
  postal_code: "",
  city: "",
  country: "",
  language: "sv",
  channel: "email",
  peppol_id: "",
};

/** Count and digest of every table (events by count only): equal means no row changed. */
async function digests(options: { skip?: string[] } = {}): Promise<Record<string, string>> {
  const tables = await db().execute<{ name: string }>(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    if (options.skip?.includes(name)) continue;
    const [row] = await db().execute<{ digest: string | null; count: string }>(
      sql`select md5(string_agg(t::text, '|' order by t::text)) as digest, count(*)::text as count from ${sql.identifier(name)} t`,
    );
    result[name] = name === "events" ? `${row!.count}` : `${row!.count}:${row!.digest}`;
  }
  return result;
}

async function recipientRow(id: string) {
  const [row] = await db().select().from(campaignRecipients).where(eq(campaignRecipients.id, id));
  return row!;
}

async function customerRow(id: string) {
  const [row] = await db().select().from(customers).where(eq(customers.id, id));
  return row!;
}

async function customerEvents(customerId: string, type?: string) {
  const rows = await db().select().from(events).where(eq(events.customerId, customerId)).orderBy(events.seq);
  return type ? rows.filter((row) => row.type === type) : rows;
}

async function webhooks(supplierId: string, type: string) {
  return db().select().from(webhookMessages)
    .where(and(eq(webhookMessages.supplierId, supplierId), eq(webhookMessages.type, type)))
    .orderBy(webhookMessages.createdAt);
}

function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), lines };
}

describe("GET /c/<token>", () => {
  it("shows the customer's details, contacts, message and deadline; a person's first view marks the recipient opened", async () => {
    const fixture = await campaignFixture();
    await db().update(customers).set({ orgNumber: "556016-0680" }).where(eq(customers.id, fixture.customerId));
    const page = await openPage(fixture.token);
    expect(page).toMatchObject({
      locale: "sv", // no customer language, no Accept-Language: the supplier's
      supplier: { name: "Nordljus Konsult AB", brandColor: "#0F766E", logoUrl: null },
      campaign: { name: "Annual check 2026", message: MESSAGE, deadline: { at: fixture.deadline.toISOString() } },
      customer: { name: "Fjällbacka Bygg AB", orgNumber: "556016-0680" },
      contacts: [{ id: fixture.contactId, email: OLD_EMAIL, channel: "email", language: "sv" }],
      answer: null,
      notice: null,
    });
    expect(Object.keys(page.submissionIds).sort()).toEqual(
      ["add-contact", "confirm-contacts", "update-organisation", `update-contact:${fixture.contactId}`].sort(),
    );
    expect(JSON.stringify(page)).not.toContain(fixture.token);

    const opened = (await recipientRow(fixture.recipientId)).openedAt;
    expect(opened).toBeInstanceOf(Date);
    await openPage(fixture.token);
    expect((await recipientRow(fixture.recipientId)).openedAt).toEqual(opened);
    expect(await customerEvents(fixture.customerId, "campaign.viewed")).toMatchObject([
      { actor: "payer", actorId: fixture.linkId, invoiceId: null, ip: "203.0.113.7", data: { link_id: fixture.linkId, campaign_id: fixture.campaignId, automated: false } },
      { data: { automated: false } },
    ]);
  });

  it("speaks the language asked for: ?lang=, then the customer's, then the browser's, then the supplier's", async () => {
    const fixture = await campaignFixture();
    expect((await openPage(fixture.token, "?lang=en")).locale).toBe("en");
    expect((await openPage(fixture.token, "", { ...BROWSER, "accept-language": "en-GB,en;q=0.9" })).locale).toBe("en");
    expect((await openPage(fixture.token)).locale).toBe("sv");
    const english = await campaignFixture({ customerLanguage: "en" });
    expect((await openPage(english.token, "", { ...BROWSER, "accept-language": "sv" })).locale).toBe("en");
    expect((await openPage(english.token, "?lang=sv")).locale).toBe("sv");
  });

  it("a mail scanner's fetches (HEAD, bots, no navigation hints) change no rows besides their view events", async () => {
    const fixture = await campaignFixture();
    const before = await digests();
    const bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    expect((await visit(fixture.token, { method: "HEAD" })).status).toBe(200);
    expect((await visit(fixture.token, { headers: { ...BROWSER, "user-agent": bot } })).status).toBe(200);
    expect((await visit(fixture.token, { headers: { accept: "*/*", "user-agent": BROWSER_UA } })).status).toBe(200);
    expect((await visit(fixture.token, { query: "?done=confirm-contacts", headers: { accept: "*/*", "user-agent": "" } })).status).toBe(200);
    const after = await digests();
    expect({ ...after, events: "" }).toEqual({ ...before, events: "" });
    expect(Number(after.events) - Number(before.events)).toBe(4);
    const views = await customerEvents(fixture.customerId, "campaign.viewed");
    expect(views.map((event) => event.data.automated)).toEqual([true, true, true, true]);
    expect(await customerEvents(fixture.customerId)).toHaveLength(4);
    expect((await recipientRow(fixture.recipientId)).openedAt).toBeNull();
  });
});

describe("one customer's link reaches that customer only", () => {
  it("A's page shows none of B's contacts, and A's link cannot change B's contact (422, every table unchanged)", async () => {
    const fixture = await campaignFixture();
    const b = await fixture.another("Grebbestad Fisk AB", "bo.bokforing@grebbestad.example");
    await db().update(contacts).set({ name: "Bo Bokföring" }).where(eq(contacts.id, b.contactId));

    const pageA = await openPage(fixture.token);
    const text = JSON.stringify(pageA);
    for (const secret of ["Bo Bokföring", "bo.bokforing@grebbestad.example", "Grebbestad", b.contactId, b.customerId]) {
      expect(text).not.toContain(secret);
    }
    expect((await openPage(b.token)).contacts).toMatchObject([{ id: b.contactId, name: "Bo Bokföring" }]);

    const before = await digests();
    const hijack = await answer(fixture.token, { ...CONTACT, contact_id: b.contactId, email: "hijack@evil.example" });
    expect(hijack.status).toBe(422);
    expect(await hijack.json()).toMatchObject({ form: `update-contact:${b.contactId}`, formError: "actions.error.unknownContact" });
    expect(await digests()).toEqual(before);
  });
});

describe("dead links", () => {
  async function deadTokens() {
    const now = Date.now();
    const expired = await campaignFixture({ deadline: new Date(now - (config.linkGraceDays + 1) * DAY) });
    const cancelled = await campaignFixture();
    await db().update(campaigns).set({ status: "cancelled", cancelledAt: new Date() }).where(eq(campaigns.id, cancelled.campaignId));
    const revoked = await campaignFixture();
    await db().execute(sql`update links set revoked_at = now() where id = ${revoked.linkId}`);
    const valid = await campaignFixture();
    const flipped = valid.token.at(-1) === "A" ? "B" : "A";
    const expiresAt = Math.floor(now / 1000) + DAY / 1000;
    return {
      expired: expired.token,
      cancelled: cancelled.token,
      revoked: revoked.token,
      tampered: valid.token.slice(0, -1) + flipped,
      unknownLink: signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, config.linkKeys),
      unknownKey: signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, parseLinkSigningKeys("other:ffffffffffffffffffffffffffffffffffffffff")),
      malformed: "not-a-token",
    };
  }

  it("expired (deadline + grace passed), cancelled, revoked, tampered and unknown links all get the identical 404, logged without the token", async () => {
    const tokens = await deadTokens();
    const { log, lines } = captureLog();
    const seen = new Set<string>();
    for (const [name, token] of Object.entries(tokens)) {
      const response = await visit(token, { context: contextFor({ log, ip: "198.51.100.23" }) });
      expect(response.status, name).toBe(404);
      seen.add(JSON.stringify({ status: response.status, headers: [...response.headers], body: await response.text() }));
      // A POST to a dead link answers the same, whatever it carries.
      const posted = await answer(token, { intent: "confirm-contacts" });
      expect(posted.status, name).toBe(404);
      seen.add(JSON.stringify({ status: posted.status, headers: [...posted.headers], body: await posted.text() }));
    }
    expect([...seen]).toEqual([JSON.stringify({ status: 404, headers: [["cache-control", "private, no-store"]], body: "" })]);

    const rejected = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === "campaign link rejected");
    expect(rejected.map((entry) => entry.reason)).toEqual(["expired", "revoked", "revoked", "bad_signature", "unknown", "unknown_key", "malformed"]);
    Object.values(tokens).forEach((token, index) => expect(rejected[index]).toMatchObject({ tokenHash: shortHash(token), ip: "198.51.100.23" }));
    const logged = lines.join("\n");
    for (const token of Object.values(tokens)) {
      for (const part of token.split(".").filter((part) => part.length >= 20)) expect(logged).not.toContain(part);
    }
  });

  it("answers are still taken after the deadline, for the grace period", async () => {
    const fixture = await campaignFixture({ deadline: new Date(Date.now() - DAY) });
    expect((await answer(fixture.token, { intent: "confirm-contacts" })).status).toBe(303);
  });

  it("1000 mutated tokens → 1000 × 404 and 0 database queries", async () => {
    const fixture = await campaignFixture();
    const queries: string[] = [];
    const counted: Database = connect(database.url(), { max: 2, onQuery: (query) => queries.push(query) });
    try {
      const context = contextFor({ db: counted.db });
      expect((await visit(fixture.token, { context })).status).toBe(200);
      expect(queries.length).toBeGreaterThan(0); // the hook works: a valid token does query
      queries.length = 0;
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const random = randomBytes(4000);
      const statuses = new Map<number, number>();
      for (let i = 0; i < 1000; i++) {
        const at = random.readUInt16BE(i * 4) % fixture.token.length;
        const original = fixture.token[at]!;
        let replacement = alphabet[random[i * 4 + 2]! % alphabet.length]!;
        if (replacement === original) replacement = original === "A" ? "B" : "A";
        const kind = random[i * 4 + 3]! % 3;
        const mutated =
          kind === 0
            ? fixture.token.slice(0, at) + replacement + fixture.token.slice(at + 1)
            : kind === 1
              ? fixture.token.slice(0, at) + fixture.token.slice(at + 1)
              : fixture.token.slice(0, at) + replacement + fixture.token.slice(at);
        expect(mutated).not.toBe(fixture.token);
        const response = await visit(mutated, { context });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 404: 1000 });
      expect(queries).toEqual([]);
    } finally {
      await counted.close();
    }
  });
});

describe("POST /c/<token>", () => {
  it("a cross-site POST is refused (403) before anything, on a live link and a dead one alike", async () => {
    const fixture = await campaignFixture();
    const before = await digests();
    const crossSite = [
      { ...SAME_ORIGIN, "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example", "user-agent": BROWSER_UA },
      { origin: "null", "sec-fetch-site": "cross-site", "user-agent": BROWSER_UA },
    ];
    for (const headers of crossSite) {
      expect((await answer(fixture.token, { intent: "confirm-contacts" }, { headers })).status).toBe(403);
      expect((await answer("not-a-token", { intent: "confirm-contacts" }, { headers })).status).toBe(403);
    }
    expect(await digests()).toEqual(before);
  });

  it("an unknown intent or a missing submission id is a 400; nothing changes", async () => {
    const fixture = await campaignFixture();
    const before = await digests();
    expect((await answer(fixture.token, { intent: "request-link" })).status).toBe(400);
    expect((await answer(fixture.token, { intent: "confirm", content_hash: "" })).status).toBe(400);
    expect((await answer(fixture.token, { intent: "confirm-contacts", submission_id: "short" })).status).toBe(400);
    expect(await digests()).toEqual(before);
  });

  it("“All correct”: answer, answered_at, contacts_confirmed_at, event and webhook; a double submit has one effect", async () => {
    const fixture = await campaignFixture();
    const fields = { intent: "confirm-contacts", submission_id: newSubmissionId() };
    const response = await answer(fixture.token, fields, { query: "?lang=en" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/c/${fixture.token}?lang=en&done=confirm-contacts`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");

    const recipient = await recipientRow(fixture.recipientId);
    expect(recipient.answer).toBe("confirmed");
    expect(recipient.answeredAt).toBeInstanceOf(Date);
    expect((await customerRow(fixture.customerId)).contactsConfirmedAt).toEqual(recipient.answeredAt);
    expect(await customerEvents(fixture.customerId, "customer.contacts_confirmed")).toMatchObject([
      { actor: "payer", actorId: fixture.linkId, invoiceId: null, ip: "203.0.113.7", data: { link_id: fixture.linkId, campaign_id: fixture.campaignId, answer: "confirmed" } },
    ]);
    expect(await webhooks(fixture.supplier.id, "customer.contacts_confirmed")).toMatchObject([
      {
        payload: {
          customer: { id: fixture.customerId, name: "Fjällbacka Bygg AB" },
          campaign_id: fixture.campaignId,
          answer: "confirmed",
          confirmed_at: recipient.answeredAt!.toISOString(),
        },
      },
    ]);

    const before = await digests();
    const again = await answer(fixture.token, fields);
    expect(again.status).toBe(303);
    expect(await digests()).toEqual(before);

    const page = await openPage(fixture.token, "?lang=en&done=confirm-contacts");
    expect(page.notice).toBe("confirm-contacts");
    expect(page.answer).toMatchObject({ kind: "confirmed", at: recipient.answeredAt!.toISOString() });
  });

  it("correcting an email: both addresses told, before/after audited with the campaign, webhook, answer “corrected”", async () => {
    const fixture = await campaignFixture();
    const response = await answer(fixture.token, { ...CONTACT, contact_id: fixture.contactId, email: "faktura@fjallbacka.example" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/c/${fixture.token}?done=update-contact`);
    const [contact] = await db().select().from(contacts).where(eq(contacts.id, fixture.contactId));
    expect(contact).toMatchObject({ email: "faktura@fjallbacka.example", name: "Eva Ekonomi", invoiceReference: "Ref 55" });

    const [event, ...more] = await customerEvents(fixture.customerId, "contact.updated");
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({
      actor: "payer",
      actorId: fixture.linkId,
      invoiceId: null,
      userAgent: BROWSER_UA,
      data: {
        link_id: fixture.linkId,
        campaign_id: fixture.campaignId,
        contact_id: fixture.contactId,
        before: { email: OLD_EMAIL, name: null, invoice_reference: null },
        after: { email: "faktura@fjallbacka.example", name: "Eva Ekonomi", invoice_reference: "Ref 55" },
      },
    });
    expect((event!.data as { changed: string[] }).changed.sort()).toEqual(["email", "invoice_reference", "name"]);
    expect(await webhooks(fixture.supplier.id, "contact.updated")).toMatchObject([
      { payload: { action: "updated", invoice_id: null, campaign_id: fixture.campaignId, contact_id: fixture.contactId, after: { email: "faktura@fjallbacka.example" } } },
    ]);

    const mails = await db().select().from(emails).where(eq(emails.customerId, fixture.customerId)).orderBy(emails.toAddress);
    expect(mails.map((mail) => [mail.template, mail.toAddress, mail.invoiceId, mail.locale])).toEqual([
      ["contact-changed", OLD_EMAIL, null, "sv"],
      ["contact-changed", "faktura@fjallbacka.example", null, "sv"],
    ]);
    // Sent without an invoice to show and without any link: the new address may not be the customer's.
    await drainJobs(contextFor().app, { names: [EMAIL_SEND_JOB] });
    const sent = await db().select().from(emails).where(eq(emails.customerId, fixture.customerId));
    expect(sent.map((mail) => [mail.status, mail.linkId])).toEqual([["sent", null], ["sent", null]]);
    for (const mail of sent) {
      expect(mail.text).not.toContain("/c/");
      expect(mail.text).not.toContain(fixture.token);
    }

    const recipient = await recipientRow(fixture.recipientId);
    expect(recipient.answer).toBe("corrected");
    expect(await webhooks(fixture.supplier.id, "customer.contacts_confirmed")).toMatchObject([{ payload: { answer: "corrected" } }]);

    // A later "All correct" keeps "corrected" and the first answer's time, and dates the confirmation anew.
    expect((await answer(fixture.token, { intent: "confirm-contacts" })).status).toBe(303);
    const later = await recipientRow(fixture.recipientId);
    expect(later).toMatchObject({ answer: "corrected", answeredAt: recipient.answeredAt });
    expect((await customerRow(fixture.customerId)).contactsConfirmedAt!.getTime()).toBeGreaterThanOrEqual(recipient.answeredAt!.getTime());
    const page = await openPage(fixture.token);
    expect(page.answer?.kind).toBe("corrected");
    expect(page.contacts).toMatchObject([{ email: "faktura@fjallbacka.example" }]);
  });

  it("a correction form saved unchanged is a confirmation, with no contact event or email", async () => {
    const fixture = await campaignFixture();
    const unchanged = { ...CONTACT, contact_id: fixture.contactId, name: "", invoice_reference: "" };
    expect((await answer(fixture.token, unchanged)).status).toBe(303);
    expect((await recipientRow(fixture.recipientId)).answer).toBe("confirmed");
    expect(await customerEvents(fixture.customerId, "contact.updated")).toEqual([]);
    expect(await db().select().from(emails).where(eq(emails.customerId, fixture.customerId))).toEqual([]);
  });

  it("adding a contact tells the new and the existing address and counts as corrected; the 21st is refused (409)", async () => {
    const fixture = await campaignFixture();
    const { contact_id: _none, ...fields } = { ...CONTACT, contact_id: "", intent: "add-contact", email: "ap@fjallbacka.example", name: "AP" };
    expect((await answer(fixture.token, fields)).status).toBe(303);
    const rows = await db().select().from(contacts).where(eq(contacts.customerId, fixture.customerId));
    expect(rows.map((row) => row.email).sort()).toEqual(["ap@fjallbacka.example", OLD_EMAIL]);
    expect((await db().select().from(emails).where(eq(emails.customerId, fixture.customerId))).map((mail) => mail.toAddress).sort()).toEqual([
      "ap@fjallbacka.example", OLD_EMAIL,
    ]);
    expect(await customerEvents(fixture.customerId, "contact.added")).toMatchObject([{ invoiceId: null, data: { campaign_id: fixture.campaignId, before: null } }]);
    expect((await recipientRow(fixture.recipientId)).answer).toBe("corrected");

    for (let i = rows.length; i < MAX_CONTACTS_PER_CUSTOMER; i++) {
      await insertBillingContact(db(), { supplierId: fixture.supplier.id, customerId: fixture.customerId, email: `extra${i}@fjallbacka.example` });
    }
    const before = await digests();
    const refused = await answer(fixture.token, { ...fields, email: "one-too-many@fjallbacka.example" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ form: "add-contact", formError: "actions.error.tooManyContacts" });
    expect(await digests()).toEqual(before);
  });

  it("correcting the organisation number: checked when Swedish, normalised, audited before/after, webhook, answer “corrected”", async () => {
    const fixture = await campaignFixture();
    await db().update(customers).set({ orgNumber: "556677-8899" }).where(eq(customers.id, fixture.customerId));
    const response = await answer(fixture.token, { intent: "update-organisation", org_number: "556016 0680" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/c/${fixture.token}?done=update-organisation`);
    expect((await customerRow(fixture.customerId)).orgNumber).toBe("556016-0680");
    expect(await customerEvents(fixture.customerId, "customer.updated")).toMatchObject([
      {
        actor: "payer",
        actorId: fixture.linkId,
        data: { link_id: fixture.linkId, campaign_id: fixture.campaignId, changes: { org_number: { from: "556677-8899", to: "556016-0680" } } },
      },
    ]);
    expect(await webhooks(fixture.supplier.id, "customer.updated")).toMatchObject([
      { payload: { customer: { id: fixture.customerId, org_number: "556016-0680" }, changed: ["org_number"], campaign_id: fixture.campaignId } },
    ]);
    expect((await recipientRow(fixture.recipientId)).answer).toBe("corrected");

    // A registration number from another country is taken as written.
    expect((await answer(fixture.token, { intent: "update-organisation", org_number: "DE 123456789" })).status).toBe(303);
    expect((await customerRow(fixture.customerId)).orgNumber).toBe("DE 123456789");
  });

  it("concurrent answers apply one after the other: a true before/after chain, and “corrected” wins whatever the order", async () => {
    const fixture = await campaignFixture();
    await db().update(customers).set({ orgNumber: "556677-8899" }).where(eq(customers.id, fixture.customerId));
    const results = await Promise.all([
      answer(fixture.token, { intent: "update-organisation", org_number: "556016-0680" }),
      answer(fixture.token, { intent: "confirm-contacts" }),
      answer(fixture.token, { intent: "update-organisation", org_number: "212000-1355" }),
      answer(fixture.token, { intent: "confirm-contacts" }),
    ]);
    expect(results.map((response) => response.status)).toEqual([303, 303, 303, 303]);
    const changes = (await customerEvents(fixture.customerId, "customer.updated")).map(
      (event) => (event.data as { changes: { org_number: { from: string; to: string } } }).changes.org_number,
    );
    expect(changes).toHaveLength(2);
    expect(changes[0]!.from).toBe("556677-8899");
    expect(changes[1]!.from).toBe(changes[0]!.to);
    expect((await customerRow(fixture.customerId)).orgNumber).toBe(changes[1]!.to);
    expect((await recipientRow(fixture.recipientId)).answer).toBe("corrected");
    expect(await customerEvents(fixture.customerId, "customer.contacts_confirmed")).toHaveLength(4);
  });

  it.each<[string, Record<string, string>, string, string, string]>([
    ["an invalid email", { ...CONTACT, email: "faktura@" }, "update-contact", "email", "actions.error.email"],
    ["no email for the email channel", { ...CONTACT, email: "" }, "update-contact", "email", "actions.error.required"],
    ["a malformed Peppol id", { ...CONTACT, channel: "peppol", peppol_id: "5560160680" }, "update-contact", "peppol_id", "actions.error.peppolId"],
    ["a Swedish postal code of four digits", { ...CONTACT, postal_code: "4574" }, "update-contact", "postal_code", "actions.error.postalCode"],
    ["an added contact without city for post", { ...CONTACT, intent: "add-contact", channel: "post", address_line1: "Hamngatan 1", postal_code: "457 40" }, "add-contact", "city", "actions.error.required"],
    ["a Swedish org number with a wrong check digit", { intent: "update-organisation", org_number: "556016-0681" }, "update-organisation", "org_number", "campaign.error.orgNumber"],
    ["an empty org number", { intent: "update-organisation", org_number: "  " }, "update-organisation", "org_number", "actions.error.required"],
    ["an org number with markup", { intent: "update-organisation", org_number: "<b>1</b>" }, "update-organisation", "org_number", "campaign.error.orgNumberFormat"],
  ])("%s → 422 naming the field, nothing written", async (_case, fields, intent, field, message) => {
    const fixture = await campaignFixture();
    const form = intent === "update-contact" ? `update-contact:${fixture.contactId}` : intent;
    const before = await digests();
    const response = await answer(fixture.token, intent === "update-contact" ? { ...fields, contact_id: fixture.contactId } : fields);
    expect(response.status).toBe(422);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = await response.json();
    expect(body).toMatchObject({ form, errors: { [field]: message } });
    expect(body.values[field]).toBe(fields[field]);
    expect(await digests()).toEqual(before);
  });
});

describe("the customer's invoices", () => {
  it("show the date its contacts were last confirmed, once they have been", async () => {
    const fixture = await campaignFixture();
    const invoice = await createInvoiceWithLink(db(), config, { supplier: fixture.supplier, customerId: fixture.customerId });
    const invoicePage = async () => {
      const response = await callRoute(invoiceLoader, contextFor(), { path: `/i/${invoice.token}`, params: { token: invoice.token }, headers: BROWSER });
      expect(response.status).toBe(200);
      return (await response.json()) as PortalPage;
    };
    expect((await invoicePage()).customer).toEqual({ name: "Fjällbacka Bygg AB", contactsConfirmedOn: null });
    expect((await answer(fixture.token, { intent: "confirm-contacts" })).status).toBe(303);
    const confirmedAt = (await customerRow(fixture.customerId)).contactsConfirmedAt!;
    expect((await invoicePage()).customer.contactsConfirmedOn).toBe(todayIn("Europe/Stockholm", confirmedAt));
  });
});
