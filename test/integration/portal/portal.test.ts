// The payer's portal page /i/<token>: data, language, rejection, logging, view events (security L1–L3).
import { Writable } from "node:stream";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import pino from "pino";
import { sql } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { connect, type Database, type Db } from "../../../db/client";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { addDays, createInvoiceWithLink, createPortalFixture, createSupplierWithCustomer, STANDARD_INVOICE, type PortalFixture } from "../../support/fixtures";
import { headers as routeHeaders, loader, meta } from "~/routes/i.$token";
import { loadPortalPage, type PortalPage } from "~/features/portal/portal.server";
import { reissueInvoiceLink, issueInvoiceLink } from "~/features/links/links.server";
import { listInvoiceEvents } from "~/platform/audit/db/events.server";
import { parseLinkSigningKeys, signLinkToken, newLinkId } from "~/domain/link-token";
import { todayIn } from "~/domain/invoice-status";
import { shortHash } from "~/platform/logger.server";
import { statusText } from "~/components/invoice/status";

const database = useTestDatabase();
const config = testConfig();

const BROWSER_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const BROWSER_HEADERS = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "sec-fetch-mode": "navigate",
  "user-agent": BROWSER_UA,
};

/** Captures pino's JSON lines, as a log shipper would see them. */
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

function contextFor(options: { db?: Db; userAgent?: string; ip?: string; log?: pino.Logger } = {}): AppLoadContext {
  const base = testContext(database.get(), config);
  return {
    app: { ...base.app, db: options.db ?? base.app.db, log: options.log ?? base.app.log },
    request: { ...base.request, userAgent: options.userAgent ?? BROWSER_UA, ip: options.ip ?? base.request.ip },
  };
}

function visit(
  token: string,
  options: { query?: string; method?: string; headers?: Record<string, string>; context?: AppLoadContext } = {},
): Promise<Response> {
  const headers = options.headers ?? BROWSER_HEADERS;
  const context = options.context ?? contextFor({ userAgent: headers["user-agent"] ?? "" });
  return callRoute(loader, context, {
    method: options.method ?? "GET",
    path: `/i/${token}${options.query ?? ""}`,
    params: { token },
    headers,
  });
}

async function pageOf(response: Response): Promise<PortalPage> {
  expect(response.status).toBe(200);
  return (await response.json()) as PortalPage;
}

async function viewEvents(fixture: PortalFixture) {
  const events = await listInvoiceEvents(database.get().db, fixture.supplier.id, fixture.invoice.id);
  return events.filter((event) => event.type === "invoice.viewed");
}

const stockholmToday = () => todayIn("Europe/Stockholm", new Date());

describe("GET /i/<token> with a valid link", () => {
  it("returns the invoice, its lines, VAT groups, totals, status and locale", async () => {
    const fixture = await createPortalFixture(database.get().db, config, {
      invoice: { dueDate: addDays(stockholmToday(), 5), amountPaid: 200_000 },
      supplier: { plusgiro: "4711-5", iban: "SE4550000000058398257466", bic: "ESSESESS", brandColor: "#0F766E" },
    });
    const page = await pageOf(await visit(fixture.token));

    expect(page.locale).toBe("sv"); // no customer language, no Accept-Language: the supplier's
    expect(page.invoice).toMatchObject({
      number: fixture.invoice.number,
      currency: "SEK",
      totalNet: STANDARD_INVOICE.totalNet,
      totalVat: STANDARD_INVOICE.totalVat,
      rounding: 12,
      total: STANDARD_INVOICE.total,
      amountPaid: 200_000,
      amountDue: STANDARD_INVOICE.total - 200_000,
    });
    expect(page.lines.map((line) => [line.position, line.description, line.quantity, line.vatRate, line.net])).toEqual([
      [1, "Consulting, March", "10.000", "25.00", 950_000],
      [2, "Book: Payment terms", "2.000", "6.00", 39_800],
    ]);
    expect(page.vatGroups).toEqual([
      { rate: "25.00", net: 950_000, vat: 237_500 },
      { rate: "6.00", net: 39_800, vat: 2_388 },
    ]);
    expect(page.status).toEqual({ kind: "due", days: 5, amountDue: STANDARD_INVOICE.total - 200_000, partlyPaid: true, disputed: false });
    expect(page.supplier).toMatchObject({ name: "Nordljus Konsult AB", orgNumber: "556677-8899", brandColor: "#0F766E" });
    expect(page.customer.name).toBe("Fjällbacka Bygg AB");
    expect(page.payment).toEqual({ bankgiro: "5050-1055", plusgiro: "4711-5", iban: "SE4550000000058398257466", bic: "ESSESESS" });
    expect(JSON.stringify(page)).not.toContain(fixture.token);
  });

  it("drops a logo that is not https (the CSP would block it) and a brand colour that is not #rrggbb", async () => {
    const fixture = await createPortalFixture(database.get().db, config, {
      supplier: { logoUrl: "http://cdn.example.com/logo.png", brandColor: "red; background:url(x)" },
    });
    const page = await pageOf(await visit(fixture.token));
    expect(page.supplier.logoUrl).toBeNull();
    expect(page.supplier.brandColor).toBeNull();

    const https = await createPortalFixture(database.get().db, config, { supplier: { logoUrl: "https://cdn.example.com/logo.png" } });
    expect((await pageOf(await visit(https.token))).supplier.logoUrl).toBe("https://cdn.example.com/logo.png");
  });

  it("is private and never stored by caches; meta has a token-free title and no-referrer", async () => {
    const fixture = await createPortalFixture(database.get().db, config, { customerLanguage: "en" });
    const page = await pageOf(await visit(fixture.token));
    const headers = new Headers(routeHeaders({} as Parameters<typeof routeHeaders>[0]));
    expect(headers.get("cache-control")).toBe("private, no-store");

    const tags = meta({ data: page, matches: [] } as unknown as Parameters<typeof meta>[0]);
    expect(tags).toContainEqual({ title: `Invoice ${fixture.invoice.number} – Nordljus Konsult AB` });
    expect(tags).toContainEqual({ name: "referrer", content: "no-referrer" });
    expect(JSON.stringify(tags)).not.toContain(fixture.token);
  });
});

describe("language", () => {
  it("?lang= wins over the customer's language and the browser", async () => {
    const fixture = await createPortalFixture(database.get().db, config, { customerLanguage: "en" });
    const headers = { ...BROWSER_HEADERS, "accept-language": "en-GB,en;q=0.9" };
    expect((await pageOf(await visit(fixture.token, { query: "?lang=sv", headers }))).locale).toBe("sv");
    expect((await pageOf(await visit(fixture.token, { query: "?lang=en", headers }))).locale).toBe("en");
  });

  it("the customer's language wins over Accept-Language", async () => {
    const fixture = await createPortalFixture(database.get().db, config, { customerLanguage: "sv" });
    const headers = { ...BROWSER_HEADERS, "accept-language": "en-US,en;q=0.9" };
    expect((await pageOf(await visit(fixture.token, { headers }))).locale).toBe("sv");
  });

  it("Accept-Language decides when the customer has none; else the supplier's language", async () => {
    const fixture = await createPortalFixture(database.get().db, config, { customerLanguage: null, supplier: { language: "sv" } });
    const english = { ...BROWSER_HEADERS, "accept-language": "en-GB,en;q=0.8,sv;q=0.5" };
    expect((await pageOf(await visit(fixture.token, { headers: english }))).locale).toBe("en");
    const german = { ...BROWSER_HEADERS, "accept-language": "de-DE" };
    expect((await pageOf(await visit(fixture.token, { headers: german }))).locale).toBe("sv");

    const englishSupplier = await createPortalFixture(database.get().db, config, { supplier: { language: "en" } });
    expect((await pageOf(await visit(englishSupplier.token))).locale).toBe("en");
  });
});

describe("rejected links", () => {
  async function rejectedTokens(): Promise<Record<string, string>> {
    const db = database.get().db;
    const fixture = await createPortalFixture(db, config);
    const [kid, payload, signature] = fixture.token.split(".") as [string, string, string];
    const flipped = signature[0] === "A" ? "B" : "A";

    // Revoked: reissuing bumps the link version, so the first token stops working.
    const revoked = await createPortalFixture(db, config);
    await reissueInvoiceLink(db, config, revoked.invoice, { actor: "supplier" });

    // Expired by its own claims: issued 31 days ago with a 30-day maximum age.
    const shortLived = testConfig({ LINK_MAX_AGE_DAYS: "30" });
    const owner = await createSupplierWithCustomer(db);
    const base = await createInvoiceWithLink(db, config, owner);
    const old = await issueInvoiceLink(db, shortLived, base.invoice, { actor: "system", reason: "created" }, new Date(Date.now() - 31 * 86_400_000));

    // Expired in the database: paid longer ago than the grace period.
    const settled = await createPortalFixture(db, config, {
      invoice: { amountPaid: STANDARD_INVOICE.total, paidAt: new Date(Date.now() - (config.linkGraceDays + 1) * 86_400_000) },
    });

    const foreignKeys = parseLinkSigningKeys("other:ffffffffffffffffffffffffffffffffffffffff");
    const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
    return {
      tampered: `${kid}.${payload}.${flipped}${signature.slice(1)}`,
      tamperedPayload: `${kid}.${payload.slice(0, 10)}${payload[10] === "x" ? "y" : "x"}${payload.slice(11)}.${signature}`,
      unknownKid: signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, foreignKeys),
      unknownLink: signLinkToken({ linkId: newLinkId(), version: 1, expiresAt }, config.linkKeys),
      revoked: revoked.token,
      expired: old.url.split("/i/")[1]!,
      settledLongAgo: settled.token,
      malformed: "not-a-token",
    };
  }

  it("every kind of bad link gets the identical 404 response", async () => {
    const tokens = await rejectedTokens();
    const seen = new Set<string>();
    for (const [name, token] of Object.entries(tokens)) {
      const response = await visit(token);
      expect(response.status, name).toBe(404);
      seen.add(JSON.stringify({ status: response.status, headers: [...response.headers], body: await response.text() }));
    }
    expect(seen.size).toBe(1);
    const [only] = [...seen];
    expect(JSON.parse(only!)).toEqual({ status: 404, headers: [["cache-control", "private, no-store"]], body: "" });
  });

  it("logs each rejection with the reason, a short hash and the IP, never the token", async () => {
    const tokens = await rejectedTokens();
    const { log, lines } = captureLog();
    for (const token of Object.values(tokens)) {
      await visit(token, { context: contextFor({ log, ip: "198.51.100.23" }) });
    }
    const rejected = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === "link rejected");
    expect(rejected.map((entry) => entry.reason)).toEqual([
      "bad_signature", "bad_signature", "unknown_key", "unknown", "revoked", "expired", "expired", "malformed",
    ]);
    Object.values(tokens).forEach((token, index) => {
      expect(rejected[index]).toMatchObject({ tokenHash: shortHash(token), ip: "198.51.100.23" });
    });
    const text = lines.join("\n");
    for (const token of Object.values(tokens)) {
      expect(text).not.toContain(token);
      for (const part of token.split(".").filter((part) => part.length >= 20)) expect(text).not.toContain(part);
    }
  });

  it("1000 mutated tokens → 1000 × 404 and 0 database queries", async () => {
    const fixture = await createPortalFixture(database.get().db, config);
    const queries: string[] = [];
    const counted: Database = connect(database.url(), { max: 2, onQuery: (query) => queries.push(query) });
    try {
      const context = contextFor({ db: counted.db });
      // The hook works: a valid token does query.
      expect((await visit(fixture.token, { context })).status).toBe(200);
      expect(queries.length).toBeGreaterThan(0);
      queries.length = 0;

      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const random = randomBytes(4000);
      const statuses = new Map<number, number>();
      let mutations = 0;
      for (let i = 0; i < 1000; i++) {
        const at = random.readUInt16BE(i * 4) % fixture.token.length;
        const original = fixture.token[at]!;
        let replacement = alphabet[random[i * 4 + 2]! % alphabet.length]!;
        if (replacement === original) replacement = original === "A" ? "B" : "A";
        const kind = random[i * 4 + 3]! % 3;
        const mutated =
          kind === 0
            ? fixture.token.slice(0, at) + replacement + fixture.token.slice(at + 1) // substitute
            : kind === 1
              ? fixture.token.slice(0, at) + fixture.token.slice(at + 1) // delete
              : fixture.token.slice(0, at) + replacement + fixture.token.slice(at); // insert
        expect(mutated).not.toBe(fixture.token);
        const response = await visit(mutated, { context });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        mutations += 1;
      }
      expect(mutations).toBe(1000);
      expect(Object.fromEntries(statuses)).toEqual({ 404: 1000 });
      expect(queries).toEqual([]);
    } finally {
      await counted.close();
    }
  });
});

describe("views and side effects", () => {
  it("records a view with IP and user agent; a browser navigation is not automated", async () => {
    const fixture = await createPortalFixture(database.get().db, config);
    await visit(fixture.token, { context: contextFor({ ip: "192.0.2.44", userAgent: BROWSER_UA }) });
    const [event, ...more] = await viewEvents(fixture);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({
      type: "invoice.viewed",
      actor: "payer",
      invoiceId: fixture.invoice.id,
      customerId: fixture.customerId,
      ip: "192.0.2.44",
      userAgent: BROWSER_UA,
      data: { link_id: fixture.linkId, automated: false },
    });
  });

  it("flags HEAD, bots and requests without navigation hints as automated", async () => {
    const fixture = await createPortalFixture(database.get().db, config);
    const bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    await visit(fixture.token, { method: "HEAD" });
    await visit(fixture.token, { headers: { ...BROWSER_HEADERS, "user-agent": bot } });
    await visit(fixture.token, { headers: { accept: "*/*", "user-agent": BROWSER_UA } });
    await visit(fixture.token, { headers: { accept: "text/html", "user-agent": BROWSER_UA } });
    const flags = (await viewEvents(fixture)).map((event) => event.data.automated);
    expect(flags).toEqual([true, true, true, false]);
  });

  it("GET and HEAD change no rows besides view events and their webhook (scanner replay)", async () => {
    const db = database.get().db;
    const fixture = await createPortalFixture(db, config);
    const revoked = await createPortalFixture(db, config);
    await reissueInvoiceLink(db, config, revoked.invoice, { actor: "supplier" });

    const snapshot = async () => {
      const tables = await db.execute<{ name: string }>(
        sql`select table_name as name from information_schema.tables
            where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'events' order by 1`,
      );
      const result: Record<string, string> = {};
      for (const { name } of tables) {
        // A person's first view is announced to the supplier (invoice.viewed): part of the view, like its event.
        const views = name === "webhook_messages" ? sql`where t.type <> 'invoice.viewed'` : sql``;
        const [row] = await db.execute<{ digest: string | null; count: string }>(
          sql`select md5(string_agg(t::text, '|' order by t::text)) as digest, count(*)::text as count from ${sql.identifier(name)} t ${views}`,
        );
        result[name] = `${row?.count}:${row?.digest}`;
      }
      return result;
    };
    const countEvents = async () => {
      const [row] = await db.execute<{ count: string }>(sql`select count(*)::text as count from events`);
      return Number(row!.count);
    };

    const before = await snapshot();
    const eventsBefore = await countEvents();
    const replay = [
      () => visit(fixture.token),
      () => visit(fixture.token, { method: "HEAD" }),
      () => visit(fixture.token, { query: "?lang=en" }),
      () => visit(fixture.token, { headers: { "user-agent": "Microsoft Office/16.0 (SafeLinks scanner)", accept: "*/*" } }),
      () => visit(revoked.token),
      () => visit(`${fixture.token}x`),
    ];
    for (const request of replay) await request();
    expect(Object.keys(before).length).toBeGreaterThan(5);
    expect(await snapshot()).toEqual(before);
    expect(await countEvents()).toBe(eventsBefore + 4);
  });
});

describe("status in words", () => {
  async function statusAt(overrides: Parameters<typeof createPortalFixture>[2], now: string) {
    const fixture = await createPortalFixture(database.get().db, config, overrides);
    const request = new Request(`https://pay.example.test/i/${fixture.token}`, { headers: BROWSER_HEADERS });
    const result = await loadPortalPage(database.get().db, config, {
      token: fixture.token, request, ip: "203.0.113.7", userAgent: BROWSER_UA, now: new Date(now),
    });
    if (!result.ok) throw new Error(`link rejected: ${result.reason}`);
    const { status, invoice } = result.page;
    return { en: statusText(status, "en", invoice.currency), sv: statusText(status, "sv", invoice.currency), page: result.page };
  }
  const due = { invoice: { dueDate: "2026-03-20" } };

  it("due in 5 days, due today, overdue by 3 days", async () => {
    expect(await statusAt(due, "2026-03-15T10:00:00Z")).toMatchObject({ en: "Due in 5 days", sv: "Förfaller om 5 dagar" });
    expect(await statusAt(due, "2026-03-19T10:00:00Z")).toMatchObject({ en: "Due in 1 day", sv: "Förfaller om 1 dag" });
    expect(await statusAt(due, "2026-03-20T12:00:00Z")).toMatchObject({ en: "Due today", sv: "Förfaller i dag" });
    expect(await statusAt(due, "2026-03-23T12:00:00Z")).toMatchObject({ en: "Overdue by 3 days", sv: "Förfallen sedan 3 dagar" });
  });

  it("counts days in the supplier's time zone, not UTC", async () => {
    // 23:30 UTC on the 19th is already the 20th in Stockholm, but still the 19th in New York.
    expect(await statusAt(due, "2026-03-19T23:30:00Z")).toMatchObject({ en: "Due today" });
    const newYork = { ...due, supplier: { timeZone: "America/New_York" } };
    expect(await statusAt(newYork, "2026-03-19T23:30:00Z")).toMatchObject({ en: "Due in 1 day" });
  });

  it("paid, partly paid and cancelled", async () => {
    const paid = await statusAt({ invoice: { ...due.invoice, amountPaid: STANDARD_INVOICE.total } }, "2026-03-25T10:00:00Z");
    expect(paid).toMatchObject({ en: "Paid", sv: "Betald" });
    expect(paid.page.invoice.amountDue).toBe(0);

    const partly = await statusAt({ invoice: { ...due.invoice, amountPaid: 500_000 } }, "2026-03-23T10:00:00Z");
    expect(partly).toMatchObject({
      en: "Partly paid, SEK\u00a07,297.00 left · Overdue by 3 days",
      sv: "Delvis betald, 7\u00a0297,00\u00a0kr kvar · Förfallen sedan 3 dagar",
    });
    expect(partly.page.invoice.amountDue).toBe(STANDARD_INVOICE.total - 500_000);

    const cancelled = await statusAt({ invoice: { ...due.invoice, cancelledAt: new Date("2026-03-10T09:00:00Z") } }, "2026-03-23T10:00:00Z");
    expect(cancelled).toMatchObject({ en: "Cancelled", sv: "Makulerad" });
    expect(cancelled.page.invoice.amountDue).toBe(0);
  });

  it("the loader uses today's date in the supplier's time zone", async () => {
    const fixture = await createPortalFixture(database.get().db, config, { invoice: { dueDate: addDays(stockholmToday(), -3) } });
    const page = await pageOf(await visit(fixture.token));
    expect(page.status).toMatchObject({ kind: "overdue", days: 3 });
  });
});
