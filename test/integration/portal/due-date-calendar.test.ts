// "Add the due date to my calendar" on real PostgreSQL: /i/<token>/due-date.ics is a valid
// iCalendar file with one all-day event on the due date, in the page's language, naming the
// printed pay link once the supplier has one and never the portal token; the page's bare 404;
// through the real server with the receipt PDF, under the portal's headers.
import { describe, expect, it } from "vitest";
import * as calendarRoute from "~/routes/i.$token.due-date[.]ics";
import * as payLinkRoute from "~/routes/api.v1.invoices.$id.pay-link";
import * as recordRoute from "~/routes/api.v1.invoices.$id.payments";
import * as pageRoute from "~/routes/i.$token";
import * as receiptRoute from "~/routes/i.$token.receipts.$file";
import { listInvoiceEvents } from "~/platform/audit/db/events.server";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { payerFixture, type PayerFixture } from "./payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

function download(token: string, query = "") {
  return callRoute(calendarRoute.loader, context(), { path: `/i/${token}/due-date.ics${query}`, params: { token }, headers: { accept: "text/calendar" } });
}

/** The content lines, unfolded, after checking the file's form: CRLF only, at most 75 octets a line. */
async function linesOf(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  const text = await response.text();
  expect(text.endsWith("\r\n")).toBe(true);
  expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  return text.replace(/\r\n[ \t]/g, "").split("\r\n").filter(Boolean);
}

const property = (lines: string[], name: string) => lines.find((line) => line.split(/[;:]/)[0] === name);

async function payLinkOf(fixture: PayerFixture): Promise<string> {
  const response = await callRoute(payLinkRoute.loader, context(), {
    path: `/api/v1/invoices/${fixture.invoice.id}/pay-link`, params: { id: fixture.invoice.id }, headers: fixture.api,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { url: string }).url;
}

describe("GET /i/<token>/due-date.ics", () => {
  it("is one all-day event on the due date, in the page's language, as an attachment", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await download(fixture.token, "?lang=sv");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="forfallodag-${fixture.invoice.number}.ics"`);
    const lines = await linesOf(response);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines).toEqual(expect.arrayContaining(["VERSION:2.0", "BEGIN:VEVENT", "END:VEVENT", "DTSTART;VALUE=DATE:20260331", "DTEND;VALUE=DATE:20260401"]));
    expect(property(lines, "PRODID")).toBeDefined();
    expect(property(lines, "DTSTAMP")).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    expect(property(lines, "UID")).toBe(`UID:${fixture.invoice.id}-due@${config.publicBaseUrl.hostname}`);
    // Escaped as TEXT: the amount's decimal comma is "\,".
    expect(property(lines, "SUMMARY")).toMatch(
      new RegExp(`^SUMMARY;LANGUAGE=sv-SE:Faktura ${fixture.invoice.number} från Nordljus Konsult AB förfaller \\(12\\s297\\\\,00\\skr\\)$`),
    );
    expect(property(lines, "DESCRIPTION")).toContain("att betala senast 31 mars 2026.");
    // No pay link handed out yet: no URL, and never the portal token.
    expect(property(lines, "URL")).toBeUndefined();
    expect(lines.join("\n")).not.toContain(fixture.token);

    const english = await linesOf(await download(fixture.token, "?lang=en"));
    expect(property(english, "SUMMARY")).toMatch(new RegExp(`^SUMMARY;LANGUAGE=en-GB:Invoice ${fixture.invoice.number} from Nordljus Konsult AB is due \\(SEK\\s12\\\\,297\\.00\\)$`));
  });

  it("names the printed pay link once the supplier has one, never the token", async () => {
    const fixture = await payerFixture(db(), config);
    const payLink = await payLinkOf(fixture);
    expect(payLink).toMatch(/\/p\//);
    const lines = await linesOf(await download(fixture.token, "?lang=en"));
    expect(property(lines, "URL")).toBe(`URL:${payLink}`);
    expect(property(lines, "DESCRIPTION")).toContain(`\\nPay here: ${payLink}`);
    expect(lines.join("\n")).not.toContain(fixture.token);
  });

  it("answers a bad or foreign-looking token with the page's bare 404", async () => {
    const fixture = await payerFixture(db(), config);
    for (const token of [`${fixture.token}x`, "nope"]) {
      const answered = await download(token).catch((thrown: unknown) => thrown as Response);
      expect(answered.status).toBe(404);
      expect(answered.headers.get("cache-control")).toBe("private, no-store");
      expect(await answered.text()).toBe("");
    }
  });
});

describe("through Express and Remix's router", () => {
  const app = useServerApp({
    build: routeBuild([
      ["root", undefined, "", { default: () => null }],
      ["routes/i.$token", "root", "i/:token", pageRoute],
      ["routes/i.$token.due-date[.]ics", "routes/i.$token", "due-date.ics", calendarRoute],
      ["routes/i.$token.receipts.$file", "routes/i.$token", "receipts/:file", receiptRoute],
    ]),
    config: () => config,
    db: () => database.get().db,
  });

  it("serves the calendar file and the receipt PDF with the portal's headers, no view recorded, the token kept out of the log", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await callRoute(recordRoute.action, context(), {
      method: "POST", path: `/api/v1/invoices/${fixture.invoice.id}/payments`, params: { id: fixture.invoice.id }, headers: fixture.api,
      json: { amount: 1_000, currency: "SEK", method: "bank_transfer" },
    });
    const paymentId = ((await response.json()) as { id: string }).id;
    const before = await listInvoiceEvents(db(), fixture.supplier.id, fixture.invoice.id);
    for (const [path, type] of [["due-date.ics?lang=en", "text/calendar; charset=utf-8"], [`receipts/${paymentId}.pdf?lang=en`, "application/pdf"]] as const) {
      const answer = await fetch(`${app.url()}/i/${fixture.token}/${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get("content-type")).toBe(type);
      expect(answer.headers.get("cache-control")).toBe("private, no-store");
      expect(answer.headers.get("referrer-policy")).toBe("no-referrer");
      expect(answer.headers.get("x-robots-tag")).toBe("noindex, nofollow");
      await answer.arrayBuffer();
    }
    expect(await listInvoiceEvents(db(), fixture.supplier.id, fixture.invoice.id)).toEqual(before);
    expect(app.lines.join("")).not.toContain(fixture.token);
  });
});
