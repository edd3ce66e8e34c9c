// "Send a new link" from a dead link's page (security L6): a POST with intent=request-link mails
// only the billing contacts on file, at most once per contact and hour, never an address the
// visitor typed, never for a forged token, and always gets the same answer.
import { afterEach, describe, expect, it, vi } from "vitest";
import { eq, inArray } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { contacts, customers, emails, links } from "../../../db/schema";
import { connect, type Database, type Db } from "../../../db/client";
import { newLinkId, parseLinkSigningKeys, signLinkToken } from "~/domain/link-token";
import { newPublicId } from "~/domain/public-id";
import { insertBillingContact } from "~/features/customers/db/customers.server";
import { action, loader } from "~/routes/i.$token";
import { issueInvoiceLink, reissueInvoiceLink } from "~/features/links/links.server";
import { requestNewLink } from "~/features/links/new-link.server";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import {
  createInvoiceWithLink, createSupplierWithCustomer, tokenFromUrl, type PortalFixture,
} from "../../support/fixtures";
import { BROWSER_UA, eventsOf, SAME_ORIGIN } from "../portal/payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const DAY_MS = 86_400_000;

afterEach(() => {
  vi.useRealTimers();
});

function contextFor(db?: Db): AppLoadContext {
  const base = testContext(database.get(), config);
  return { ...base, app: { ...base.app, db: db ?? base.app.db }, request: { ...base.request, ip: "198.51.100.9", userAgent: BROWSER_UA } };
}

/** The form as the 404 page sends it, plus any extra fields a visitor might add. */
function requestLink(token: string, extra: Record<string, string> = {}, db?: Db): Promise<Response> {
  return callRoute(action, contextFor(db), {
    method: "POST",
    path: `/i/${token}`,
    params: { token },
    headers: { ...SAME_ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "request-link", ...extra }),
  });
}

function openLink(token: string): Promise<Response> {
  return callRoute(loader, contextFor(), {
    path: `/i/${token}`,
    params: { token },
    headers: { accept: "text/html", "sec-fetch-mode": "navigate", "user-agent": BROWSER_UA },
  });
}

/** Everything the visitor gets: status, headers and body. */
async function answer(response: Response) {
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

async function newLinkEmails(invoiceId: string) {
  const rows = await database.get().db.select().from(emails).where(eq(emails.invoiceId, invoiceId));
  return rows.filter((row) => row.template === "new-link").sort((a, b) => a.toAddress.localeCompare(b.toAddress));
}

type Scenario = PortalFixture & { expiredToken: string };

/**
 * An invoice whose first link expired (issued 31 days ago, 30 days' maximum age), a customer with
 * two billing contacts that take email, and contacts and customers that must get nothing.
 */
async function scenario(options: { cancelled?: boolean } = {}): Promise<Scenario> {
  const db = database.get().db;
  const owner = await createSupplierWithCustomer(db, { customerLanguage: "en" });
  const scope = { supplierId: owner.supplier.id, customerId: owner.customerId };
  await insertBillingContact(db, { ...scope, email: "ap@fjallbacka.example", language: "sv" });
  await insertBillingContact(db, { ...scope, email: "cfo@fjallbacka.example", language: null });
  await db.insert(contacts).values([
    // Not a billing contact; a billing contact on paper invoices; one with no address at all.
    { id: newPublicId("con"), ...scope, email: "sales@fjallbacka.example", isBilling: false },
    { id: newPublicId("con"), ...scope, email: "post@fjallbacka.example", channel: "post", addressLine1: "Storgatan 1", postalCode: "45730", city: "Fjällbacka", country: "SE" },
    { id: newPublicId("con"), ...scope, email: null, channel: "peppol", peppolId: "0007:5566778899" },
  ]);
  // Another customer of the same supplier.
  const otherCustomer = newPublicId("cus");
  await db.insert(customers).values({ id: otherCustomer, supplierId: owner.supplier.id, name: "Annan Kund AB" });
  await insertBillingContact(db, { supplierId: owner.supplier.id, customerId: otherCustomer, email: "ap@annan.example" });

  const fixture = await createInvoiceWithLink(db, config, owner, options.cancelled ? { cancelledAt: new Date() } : {});
  const shortLived = testConfig({ LINK_MAX_AGE_DAYS: "30" });
  const old = await issueInvoiceLink(db, shortLived, fixture.invoice, { actor: "system", reason: "created" }, new Date(Date.now() - 31 * DAY_MS));
  return { ...fixture, expiredToken: tokenFromUrl(old.url) };
}

/** Freezes the clock (only Date) in the middle of the current hour, so two requests share it. */
function freezeClock() {
  const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 20 * 60_000);
  vi.useFakeTimers({ toFake: ["Date"], now });
  return now;
}

describe("POST /i/<token> intent=request-link", () => {
  it("an expired link: one new-link email per billing contact that takes email, and an event on the timeline", async () => {
    const fixture = await scenario();
    expect((await openLink(fixture.expiredToken)).status).toBe(404);
    const now = freezeClock();

    const response = await requestLink(fixture.expiredToken);
    expect(await answer(response)).toEqual({ status: 202, headers: [["cache-control", "private, no-store"]], body: "" });

    const sent = await newLinkEmails(fixture.invoice.id);
    const hour = now.toISOString().slice(0, 13);
    expect(sent.map((email) => [email.toAddress, email.locale, email.props])).toEqual([
      ["ap@fjallbacka.example", "sv", { invoiceNumber: fixture.invoice.number, supplierName: "Nordljus Konsult AB" }],
      // No language of its own: the customer's.
      ["cfo@fjallbacka.example", "en", { invoiceNumber: fixture.invoice.number, supplierName: "Nordljus Konsult AB" }],
    ]);
    for (const email of sent) {
      expect(email.idempotencyKey).toMatch(new RegExp(`^new-link:${fixture.invoice.id}:con_[^:]+:${hour}$`));
      expect(email.customerId).toBe(fixture.customerId);
    }

    const [event, ...more] = await eventsOf(database.get().db, fixture.invoice.id, "link.requested");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor: "payer",
      customerId: fixture.customerId,
      ip: "198.51.100.9",
      userAgent: BROWSER_UA,
      data: { link_state: "expired", recipients: 2, emails_queued: 2 },
    });
    // The link is still dead: asking for a new one does not revive the old.
    expect((await openLink(fixture.expiredToken)).status).toBe(404);
  });

  it("a second request in the same hour sends nothing more", async () => {
    const fixture = await scenario();
    freezeClock();
    const first = await answer(await requestLink(fixture.expiredToken));
    const second = await answer(await requestLink(fixture.expiredToken));
    expect(second).toEqual(first);
    expect(await newLinkEmails(fixture.invoice.id)).toHaveLength(2);
  });

  it("once per contact and UTC hour: the next hour may send again", async () => {
    const fixture = await scenario();
    const db = database.get().db;
    const ask = (at: string) => requestNewLink(db, config, fixture.expiredToken, { now: new Date(at), ip: "198.51.100.9", userAgent: BROWSER_UA });
    // The link expired 1 day after "now - 31 days" in real time; these instants are all after that.
    const base = new Date(Date.now() + DAY_MS).toISOString().slice(0, 11);
    expect(await ask(`${base}10:05:00Z`)).toMatchObject({ ok: true, linkState: "expired", recipients: 2, queued: 2 });
    expect(await ask(`${base}10:59:59Z`)).toMatchObject({ ok: true, recipients: 2, queued: 0 });
    expect(await newLinkEmails(fixture.invoice.id)).toHaveLength(2);
    expect(await ask(`${base}11:00:00Z`)).toMatchObject({ ok: true, queued: 2 });
    expect(await newLinkEmails(fixture.invoice.id)).toHaveLength(4);
    const events = await eventsOf(db, fixture.invoice.id, "link.requested");
    expect(events.map((event) => event.data.emails_queued)).toEqual([2, 0, 2]);
  });

  it("an address posted with the form is ignored", async () => {
    const fixture = await scenario();
    const response = await requestLink(fixture.expiredToken, { email: "attacker@example.com", to: "attacker@example.com" });
    expect(response.status).toBe(202);
    const everything = await database.get().db.select().from(emails);
    expect(everything.filter((email) => email.toAddress.includes("attacker"))).toEqual([]);
    expect((await newLinkEmails(fixture.invoice.id)).map((email) => email.toAddress)).toEqual([
      "ap@fjallbacka.example", "cfo@fjallbacka.example",
    ]);
  });

  it("a revoked link and a still-valid link are honoured too (the mail goes only to addresses on file)", async () => {
    const revoked = await scenario();
    const db = database.get().db;
    await reissueInvoiceLink(db, config, revoked.invoice, { actor: "supplier" });
    expect((await openLink(revoked.token)).status).toBe(404);
    expect((await requestLink(revoked.token)).status).toBe(202);
    expect(await newLinkEmails(revoked.invoice.id)).toHaveLength(2);
    expect((await eventsOf(db, revoked.invoice.id, "link.requested"))[0]?.data).toMatchObject({ link_state: "revoked" });

    const valid = await scenario();
    expect((await requestLink(valid.token)).status).toBe(202);
    expect(await newLinkEmails(valid.invoice.id)).toHaveLength(2);
    expect((await eventsOf(db, valid.invoice.id, "link.requested"))[0]?.data).toMatchObject({ link_state: "valid" });
  });

  it("a link expired in the database (not by its own claims) is honoured", async () => {
    const fixture = await scenario();
    const db = database.get().db;
    await db.update(links).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(links.id, fixture.linkId));
    expect((await openLink(fixture.token)).status).toBe(404);
    expect((await requestLink(fixture.token)).status).toBe(202);
    expect(await newLinkEmails(fixture.invoice.id)).toHaveLength(2);
  });

  it("forged, tampered, unknown and cancelled: no email, no event, and the same answer byte for byte", async () => {
    const fixture = await scenario();
    const cancelled = await scenario({ cancelled: true });
    const [kid, payload, signature] = fixture.expiredToken.split(".") as [string, string, string];
    const expiresAt = Math.floor(Date.now() / 1000) + DAY_MS / 1000;
    const forged = {
      tamperedSignature: `${kid}.${payload}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`,
      tamperedPayload: `${kid}.${payload.slice(0, 5)}${payload[5] === "x" ? "y" : "x"}${payload.slice(6)}.${signature}`,
      unknownKey: signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, parseLinkSigningKeys("other:ffffffffffffffffffffffffffffffffffffffff")),
      malformed: "not-a-token",
    };
    const real = await answer(await requestLink(fixture.expiredToken));

    // Forged tokens are refused before any database query (security L1).
    const queries: string[] = [];
    const counted: Database = connect(database.url(), { max: 1, onQuery: (query) => queries.push(query) });
    try {
      for (const [name, token] of Object.entries(forged)) {
        expect(await answer(await requestLink(token, {}, counted.db)), name).toEqual(real);
      }
      expect(queries).toEqual([]);
    } finally {
      await counted.close();
    }
    // A well-signed token for a link we never issued.
    const unknownLink = signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, config.linkKeys);
    expect(await answer(await requestLink(unknownLink))).toEqual(real);
    expect(await answer(await requestLink(cancelled.expiredToken))).toEqual(real);
    expect(await answer(await requestLink(cancelled.token))).toEqual(real);

    expect(await newLinkEmails(cancelled.invoice.id)).toEqual([]);
    expect(await eventsOf(database.get().db, cancelled.invoice.id, "link.requested")).toEqual([]);
    // Of everything the two suppliers' customers were sent, only the real request's two emails.
    const all = await database.get().db.select().from(emails).where(inArray(emails.supplierId, [fixture.supplier.id, cancelled.supplier.id]));
    expect(all.map((email) => [email.template, email.invoiceId]).sort()).toEqual([
      ["new-link", fixture.invoice.id], ["new-link", fixture.invoice.id],
    ]);
  });

  it("a cross-site POST is refused and sends nothing", async () => {
    const fixture = await scenario();
    const response = await callRoute(action, contextFor(), {
      method: "POST",
      path: `/i/${fixture.expiredToken}`,
      params: { token: fixture.expiredToken },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "request-link" }),
    });
    expect(response.status).toBe(403);
    expect(await newLinkEmails(fixture.invoice.id)).toEqual([]);
  });

  it("GET stays identical for unknown, expired and revoked links", async () => {
    const fixture = await scenario();
    const revoked = await scenario();
    await reissueInvoiceLink(database.get().db, config, revoked.invoice, { actor: "supplier" });
    const unknown = signLinkToken({ linkId: newLinkId(), version: 1, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, config.linkKeys);
    const answers = await Promise.all([fixture.expiredToken, revoked.token, unknown].map(async (token) => answer(await openLink(token))));
    expect(new Set(answers.map((item) => JSON.stringify(item))).size).toBe(1);
    expect(answers[0]?.status).toBe(404);
  });
});
