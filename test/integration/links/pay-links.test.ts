// The printed "pay now" link (issue #6 item 1): GET /api/v1/invoices/:id/pay-link and its QR
// images for the supplier, and the public /p/<code> that redirects to a working portal link.
// Same code for the invoice's life; revoked with it; dead codes answer like dead portal links.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import type { AppLoadContext } from "@remix-run/node";
import { invoices, links } from "../../../db/schema";
import { connect, type Database } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { createApiKey } from "~/api/db/api-keys.server";
import { listInvoiceEvents } from "~/platform/audit/db/events.server";
import { reissueInvoiceLink } from "~/features/links/links.server";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as payLinkRoute from "~/routes/api.v1.invoices.$id.pay-link";
import * as payLinkImageRoute from "~/routes/api.v1.invoices.$id.pay-link.$image";
import * as pageRoute from "~/routes/i.$token";
import * as payRoute from "~/routes/p.$code";
import { useTestDatabase } from "../../support/database";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { callRoute, testConfig, testContext, TEST_BASE_URL, TEST_LINK_KEYS } from "../../support/context";
import { createPortalFixture, tokenFromUrl, type PortalFixture } from "../../support/fixtures";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const NEW_KEY = "k2:a-brand-new-link-signing-key-0123456789";

type Fixture = PortalFixture & { api: Record<string, string> };

async function fixture(invoice: Parameters<typeof createPortalFixture>[2] = {}): Promise<Fixture> {
  const created = await createPortalFixture(db(), config, invoice);
  const key = await createApiKey(db(), created.supplier.id);
  return { ...created, api: { authorization: `Bearer ${key.key}` } };
}

function contextWith(options: { config?: Config; database?: Database } = {}): AppLoadContext {
  return testContext(options.database ?? database.get(), options.config ?? config);
}

function getPayLink(f: Fixture, options: { id?: string; headers?: Record<string, string>; config?: Config; database?: Database } = {}) {
  const id = options.id ?? f.invoice.id;
  return callRoute(payLinkRoute.loader, contextWith(options), { path: `/api/v1/invoices/${id}/pay-link`, params: { id }, headers: options.headers ?? f.api });
}

function getImage(f: Fixture, image: string, options: { id?: string; query?: string; headers?: Record<string, string> } = {}) {
  const id = options.id ?? f.invoice.id;
  return callRoute(payLinkImageRoute.loader, contextWith(), {
    path: `/api/v1/invoices/${id}/pay-link/${image}${options.query ?? ""}`,
    params: { id, image },
    headers: options.headers ?? f.api,
  });
}

function visit(code: string, options: { config?: Config; database?: Database } = {}) {
  return callRoute(payRoute.loader, contextWith(options), { path: `/p/${code}`, params: { code } });
}

function openPortal(location: string) {
  const token = tokenFromUrl(location);
  return callRoute(pageRoute.loader, contextWith(), { path: `/i/${token}`, params: { token } });
}

type PayLinkBody = { url: string; code: string; qr: { svg: string; png: string } };

async function payLinkOf(f: Fixture): Promise<PayLinkBody> {
  const response = await getPayLink(f);
  expect(response.status).toBe(200);
  return (await response.json()) as PayLinkBody;
}

async function decodePng(response: Response): Promise<string> {
  const image = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error("no QR code in the image");
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(code.binaryData));
}

async function payLinkEvents(f: Fixture) {
  return (await listInvoiceEvents(db(), f.supplier.id, f.invoice.id)).filter(
    (event) => event.type === "link.issued" && (event.data as { reason?: string }).reason === "pay_link",
  );
}

describe("GET /api/v1/invoices/:id/pay-link", () => {
  it("gives a short /p/<code> URL (22 base62 characters) and its QR image URLs", async () => {
    const f = await fixture();
    const response = await getPayLink(f);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as PayLinkBody;
    expect(body.code).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(body.code.length).toBeLessThanOrEqual(30);
    expect(body).toEqual({
      url: `${TEST_BASE_URL}/p/${body.code}`,
      code: body.code,
      qr: {
        svg: `${TEST_BASE_URL}/api/v1/invoices/${f.invoice.id}/pay-link/qr.svg`,
        png: `${TEST_BASE_URL}/api/v1/invoices/${f.invoice.id}/pay-link/qr.png`,
      },
    });
  });

  it("is the same on every call, after a restart, and after a new signing key is put first", async () => {
    const f = await fixture();
    const first = await payLinkOf(f);
    expect(await payLinkOf(f)).toEqual(first);
    // A restart: the configuration parsed again from the same environment, a new connection pool.
    const restarted = connect(database.url(), { max: 2 });
    try {
      const again = await getPayLink(f, { config: testConfig(), database: restarted });
      expect(await again.json()).toEqual(first);
    } finally {
      await restarted.close();
    }
    // Key rotation: the code printed on paper keeps the key it was derived from.
    const rotated = testConfig({ LINK_SIGNING_KEYS: `${NEW_KEY},${TEST_LINK_KEYS}` });
    expect(await (await getPayLink(f, { config: rotated })).json()).toEqual(first);
    // A new invoice gets its code from the newest key.
    const g = await fixture();
    const fresh = (await (await getPayLink(g, { config: rotated })).json()) as PayLinkBody;
    const [row] = await db().select({ kid: invoices.payCodeKeyId }).from(invoices).where(eq(invoices.id, g.invoice.id));
    expect(row?.kid).toBe("k2");
    expect(fresh.code).not.toBe(first.code);
  });

  it("stores only the code's hash: the invoice and link rows hold no working pay link", async () => {
    const f = await fixture();
    const { code } = await payLinkOf(f);
    const [row] = await db().select().from(invoices).where(eq(invoices.id, f.invoice.id));
    expect(row?.payCodeHash).toBe(createHash("sha256").update(code).digest("hex"));
    expect(row?.payCodeKeyId).toBe("test1");
    const dump = JSON.stringify([row, await db().select().from(links).where(eq(links.invoiceId, f.invoice.id))]);
    expect(dump).not.toContain(code);
  });

  it("gives 20 concurrent first requests one and the same code", async () => {
    const f = await fixture();
    const bodies = await Promise.all(Array.from({ length: 20 }, () => getPayLink(f).then((r) => r.json() as Promise<PayLinkBody>)));
    expect(new Set(bodies.map((body) => body.code)).size).toBe(1);
  });

  it("answers another supplier's invoice exactly like an unknown one, on both routes", async () => {
    const mine = await fixture();
    const theirs = await fixture();
    await payLinkOf(theirs);
    for (const call of [
      (id: string) => getPayLink(mine, { id }),
      (id: string) => getImage(mine, "qr.png", { id }),
    ]) {
      const foreign = await call(theirs.invoice.id);
      const unknown = await call("inv_0000000000000000000000");
      const malformed = await call("1042");
      for (const response of [foreign, unknown, malformed]) {
        expect(response.status).toBe(404);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
      }
      expect(await foreign.json()).toEqual(await unknown.json());
    }
    expect((await getPayLink(mine, { headers: {} })).status).toBe(401);
    expect((await getImage(mine, "qr.svg", { headers: {} })).status).toBe(401);
    // Asking did not record a code on the other supplier's invoice either way.
    const fresh = await fixture();
    await getPayLink(mine, { id: fresh.invoice.id });
    const [row] = await db().select({ hash: invoices.payCodeHash }).from(invoices).where(eq(invoices.id, fresh.invoice.id));
    expect(row?.hash).toBeNull();
  });

  it("refuses a cancelled invoice and a credit note with 409, on both routes", async () => {
    const f = await fixture();
    await payLinkOf(f);
    await db().update(invoices).set({ cancelledAt: new Date() }).where(eq(invoices.id, f.invoice.id));
    for (const response of [await getPayLink(f), await getImage(f, "qr.png")]) {
      expect(response.status).toBe(409);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/cancelled/);
    }
    const credit = await fixture();
    await db().update(invoices).set({ total: -1000 }).where(eq(invoices.id, credit.invoice.id));
    expect(((await (await getPayLink(credit)).json()) as { detail: string }).detail).toMatch(/credit note/);
  });

  it("answers 409 once the key the code was derived from is retired, naming the reason", async () => {
    const f = await fixture();
    await payLinkOf(f);
    const retired = testConfig({ LINK_SIGNING_KEYS: NEW_KEY });
    const response = await getPayLink(f, { config: retired });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/retired/);
  });
});

describe("GET /api/v1/invoices/:id/pay-link/qr.{svg,png}", () => {
  it("serves PNG and SVG that decode to the pay link's exact URL, privately cached", async () => {
    const f = await fixture();
    const { url } = await payLinkOf(f);
    const png = await getImage(f, "qr.png");
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("cache-control")).toBe("private, max-age=300");
    expect(await decodePng(png)).toBe(url);
    const svg = await getImage(f, "qr.svg");
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toMatch(/^<svg[^>]*viewBox/);
  });

  it("takes ?size= and ?margin= like the payment QR codes, and names a bad parameter", async () => {
    const f = await fixture();
    const { url } = await payLinkOf(f);
    const sized = await getImage(f, "qr.png", { query: "?size=256&margin=2" });
    expect(PNG.sync.read(Buffer.from(await sized.clone().arrayBuffer())).width).toBe(256);
    expect(await decodePng(sized)).toBe(url);
    const bad = await getImage(f, "qr.png", { query: "?size=9000&colour=red" });
    expect(bad.status).toBe(422);
    const errors = ((await bad.json()) as { errors: { field: string }[] }).errors.map((error) => error.field).sort();
    expect(errors).toEqual(["colour", "size"]);
    expect((await getImage(f, "qr.gif")).status).toBe(404);
    expect((await getImage(f, "swish.png")).status).toBe(404);
  });

  it("gives the same code as the JSON route even when the image is asked for first", async () => {
    const f = await fixture();
    const decoded = await decodePng(await getImage(f, "qr.png"));
    expect(decoded).toBe((await payLinkOf(f)).url);
  });
});

describe("GET /p/<code>", () => {
  it("redirects (303, no-store) to a portal link that opens, reused on the next visit", async () => {
    const f = await fixture();
    const { code } = await payLinkOf(f);
    const response = await visit(code);
    expect(response.status).toBe(303);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const location = response.headers.get("location")!;
    expect(location.startsWith(`${TEST_BASE_URL}/i/`)).toBe(true);
    expect((await openPortal(location)).status).toBe(200);

    // The next visit lands on the same link: no new link row, one link.issued event in all.
    expect((await visit(code)).headers.get("location")).toBe(location);
    expect(await payLinkEvents(f)).toHaveLength(1);
    const [row] = await db().select({ payLinkId: invoices.payLinkId }).from(invoices).where(eq(invoices.id, f.invoice.id));
    expect((await payLinkEvents(f))[0]?.data).toMatchObject({ link_id: row?.payLinkId, reason: "pay_link" });
  });

  it("changes no invoice state besides which portal link it points at", async () => {
    const f = await fixture();
    const { code } = await payLinkOf(f);
    const [before] = await db().select().from(invoices).where(eq(invoices.id, f.invoice.id));
    expect((await visit(code)).status).toBe(303);
    const [after] = await db().select().from(invoices).where(eq(invoices.id, f.invoice.id));
    expect({ ...after, payLinkId: null }).toEqual({ ...before, payLinkId: null });
    expect(after?.payLinkId).toMatch(/^lnk_/);
  });

  it("survives a link reissue: the pay link then issues a new current link", async () => {
    const f = await fixture();
    const { code } = await payLinkOf(f);
    const first = (await visit(code)).headers.get("location")!;
    await reissueInvoiceLink(db(), config, { id: f.invoice.id, supplierId: f.supplier.id }, { actor: "supplier" });
    expect((await openPortal(first)).status).toBe(404);
    const second = (await visit(code)).headers.get("location")!;
    expect(second).not.toBe(first);
    expect((await openPortal(second)).status).toBe(200);
    expect(await payLinkEvents(f)).toHaveLength(2);
  });

  it("renews a portal link that has expired or is about to", async () => {
    const f = await fixture();
    const { code } = await payLinkOf(f);
    const first = (await visit(code)).headers.get("location")!;
    const [row] = await db().select({ payLinkId: invoices.payLinkId }).from(invoices).where(eq(invoices.id, f.invoice.id));
    await db().update(links).set({ expiresAt: new Date(Date.now() + 60_000) }).where(eq(links.id, row!.payLinkId!));
    const second = (await visit(code)).headers.get("location")!;
    expect(second).not.toBe(first);
    expect((await openPortal(second)).status).toBe(200);
  });

  it("answers 404 once the invoice is cancelled, its key retired, or it was settled long ago", async () => {
    const cancelled = await fixture();
    const cancelledCode = (await payLinkOf(cancelled)).code;
    expect((await visit(cancelledCode)).status).toBe(303);
    await db().update(invoices).set({ cancelledAt: new Date() }).where(eq(invoices.id, cancelled.invoice.id));

    const retired = await fixture();
    const retiredCode = (await payLinkOf(retired)).code;

    const settled = await fixture({ invoice: { paidAt: new Date(Date.now() - 200 * 86_400_000), amountPaid: 1_229_700 } });
    const settledCode = (await payLinkOf(settled)).code;

    const garbage = await visit("not-a-code");
    const responses = [
      await visit(cancelledCode),
      await visit(retiredCode, { config: testConfig({ LINK_SIGNING_KEYS: NEW_KEY }) }),
      await visit(settledCode),
      await visit("0".repeat(22)),
    ];
    for (const response of responses) {
      expect(response.status).toBe(404);
      expect([...response.headers]).toEqual([...garbage.headers]);
      expect(await response.text()).toBe(await garbage.clone().text());
    }
  });

  it("refuses 1000 garbage codes with 404 and 0 database queries", async () => {
    const f = await fixture();
    const { code } = await payLinkOf(f);
    const queries: string[] = [];
    const counted = connect(database.url(), { max: 2, onQuery: (query) => queries.push(query) });
    try {
      // The hook works: the good code does query.
      expect((await visit(code, { database: counted })).status).toBe(303);
      expect(queries.length).toBeGreaterThan(0);
      queries.length = 0;

      const random = randomBytes(3000);
      const junk = "-_.~+%é/ ";
      const statuses = new Map<number, number>();
      for (let i = 0; i < 1000; i++) {
        const at = random[i * 3]! % code.length;
        const kind = random[i * 3 + 1]! % 5;
        const char = junk[random[i * 3 + 2]! % junk.length]!;
        const garbage =
          kind === 0 ? code.slice(0, at) + code.slice(at + 1) // 21 characters
            : kind === 1 ? code.slice(0, at) + code[at] + code.slice(at) // 23 characters
              : kind === 2 ? code.slice(0, at) + char + code.slice(at + 1) // a character outside base62
                : kind === 3 ? `z${code.slice(1)}` // beyond 128 bits
                  : `${f.token.slice(0, i % 60)}`; // a portal token's pieces
        const response = await visit(garbage, { database: counted });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 404: 1000 });
      expect(queries).toEqual([]);

      // A well-formed code that is not ours costs one indexed lookup, and gets the same 404.
      const other = `${code.slice(0, 5)}${code[5] === "A" ? "B" : "A"}${code.slice(6)}`;
      expect((await visit(other, { database: counted })).status).toBe(404);
      expect(queries).toHaveLength(1);
    } finally {
      await counted.close();
    }
  });
});

describe("through Express and Remix's router", () => {
  // The real entry, root and route modules as the build nests them, so the 404 pages are the real
  // documents: a dead pay link must look exactly like a dead portal link.
  const app = useServerApp({
    build: routeBuild(
      [
        ["root", undefined, "", root],
        ["routes/i.$token", "root", "i/:token", pageRoute],
        ["routes/p.$code", "root", "p/:code", payRoute],
        ["routes/api.v1.invoices.$id.pay-link", "root", "api/v1/invoices/:id/pay-link", payLinkRoute],
        ["routes/api.v1.invoices.$id.pay-link.$image", "routes/api.v1.invoices.$id.pay-link", ":image", payLinkImageRoute],
      ],
      entry,
    ),
    // A low bad-link limit, so the test can reach it.
    config: () => testConfig({ BAD_LINKS_PER_MINUTE: "6" }),
    db,
  });
  const { lines } = app;

  it("redirects to the portal, 404s dead codes with the portal's own 404 page, logs no code, and rate-limits bad codes like /i/", async () => {
    const f = await fixture();
    const { code } = await payLinkOf(f);
    // Each client IP is limited on its own; the test's requests come from 127.0.0.1.
    const followed = await fetch(`${app.url()}/p/${code}`, { redirect: "manual" });
    expect(followed.status).toBe(303);
    expect(followed.headers.get("location")!.startsWith(`${TEST_BASE_URL}/i/`)).toBe(true);
    expect(followed.headers.get("referrer-policy")).toBe("no-referrer");
    expect(followed.headers.get("cache-control")).toBe("no-store");

    const html = { accept: "text/html" };
    const deadPortal = await fetch(`${app.url()}/i/not.a.token`, { headers: html });
    const deadPay = await fetch(`${app.url()}/p/${"0".repeat(22)}`, { headers: html });
    expect(deadPay.status).toBe(404);
    expect(deadPortal.status).toBe(404);
    const page = await deadPay.text();
    expect(page).toContain("<h1>");
    expect(page).toContain('name="intent" value="request-link"');
    expect(page).toBe(await deadPortal.text());
    expect(deadPay.headers.get("cache-control")).toBe(deadPortal.headers.get("cache-control"));

    // The portal's "send a new link" form posted on a dead pay link gets the portal's answer.
    const form = await fetch(`${app.url()}/p/${"0".repeat(22)}`, {
      method: "POST",
      headers: { ...html, "content-type": "application/x-www-form-urlencoded", origin: TEST_BASE_URL, "sec-fetch-site": "same-origin" },
      body: "intent=request-link",
    });
    expect(form.status).toBe(202);

    expect(lines.join("")).not.toContain(code);

    // Bad codes count against the client IP like bad portal tokens (6 a minute here). Counted
    // loosely: the one-minute window may turn during the test and grant 6 more.
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await fetch(`${app.url()}/p/bad-code-${i}`)).status);
    const notFound = statuses.filter((status) => status === 404).length;
    expect(notFound).toBeLessThanOrEqual(12);
    expect(statuses.filter((status) => status === 429).length).toBe(24 - notFound);
    expect(statuses.at(-1)).toBe(429);
    // The limit is per IP, whatever the code: a good pay link from that IP waits too.
    expect((await fetch(`${app.url()}/p/${code}`, { redirect: "manual" })).status).toBe(429);
  });
});
