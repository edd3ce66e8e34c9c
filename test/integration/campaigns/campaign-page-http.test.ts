// The campaign page over real HTTP: Express (security headers, the cross-site check, rate limits)
// in front of Remix rendering the real document. What a phone's browser without JavaScript gets:
// the page, an answer by plain form POST and its redirect, the dead-link page, and 429s (L8).
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { customers } from "../../../db/schema";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as campaignRoute from "~/routes/c.$token";
import { t } from "~/i18n";
import { formatDate, formatDateTime } from "~/i18n/format";
import { todayIn } from "~/domain/invoice-status";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { memoryLimitStores } from "~/platform/rate-limits/db/limit-stores.server";
import { BROWSER, BROWSER_UA, DAY, OLD_EMAIL, createCampaignFixture, type CampaignFixtureOptions } from "./campaign-helpers";

const database = useTestDatabase();
const config = testConfig();
const build = () =>
  routeBuild(
    [
      ["root", undefined, "", root],
      ["routes/c.$token", "root", "c/:token", campaignRoute],
    ],
    entry,
  );
const campaignFixture = (options: CampaignFixtureOptions = {}) => createCampaignFixture(database.get().db, config, options);

/** A form POST as Chromium sends it from our no-referrer page: Origin "null", vouched for by Sec-Fetch-Site. */
const FORM_POST = {
  "content-type": "application/x-www-form-urlencoded",
  origin: "null",
  "sec-fetch-site": "same-origin",
  "user-agent": BROWSER_UA,
};

/** The one-time id the page rendered into a form, found by the form's intent. */
function submissionIdOf(html: string, intent: string): string {
  const form = html.split("<form").find((part) => part.includes(`name="intent" value="${intent}"`));
  const id = form && /name="submission_id" value="([^"]+)"/.exec(form)?.[1];
  if (!id) throw new Error(`no ${intent} form on the page`);
  return id;
}

describe("the page over HTTP", () => {
  // A clock that stands still inside one minute: the 1000-token test must not see its window end.
  const server = useServerApp({ build: build(), config: () => config, db: () => database.get().db, limitStores: memoryLimitStores() });

  it("is complete HTML without any script, kept out of caches, referrers and indexes; the message is text, never markup", async () => {
    const fixture = await campaignFixture({ message: "Hej!\n\n<script>alert(1)</script> <b>not bold</b>\nline two" });
    const response = await fetch(`${server.url()}/c/${fixture.token}`, { headers: BROWSER });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-robots-tag")).toContain("noindex");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('<meta name="referrer" content="no-referrer"/>');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("<p>Hej!</p>");
    expect(html).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;not bold&lt;/b&gt;<br/>line two</p>");
    expect(html).not.toContain(fixture.token);
    for (const text of [
      t("sv", "campaign.heading"),
      t("sv", "campaign.deadline", { date: formatDateTime(fixture.deadline.toISOString(), "sv", "Europe/Stockholm") }),
      t("sv", "campaign.confirm.button"),
      OLD_EMAIL,
      "Fjällbacka Bygg AB",
    ]) {
      expect(html).toContain(text);
    }
    const english = await (await fetch(`${server.url()}/c/${fixture.token}?lang=en`, { headers: BROWSER })).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain(t("en", "campaign.confirm.button"));
    expect(english).toContain(t("en", "campaign.meta.title", { supplier: "Nordljus Konsult AB" }));
  });

  it("without JavaScript: “All correct” posts, redirects (303) and the page thanks the customer, with the date", async () => {
    const fixture = await campaignFixture();
    const page = await (await fetch(`${server.url()}/c/${fixture.token}?lang=en`, { headers: BROWSER })).text();
    const body = new URLSearchParams({ intent: "confirm-contacts", submission_id: submissionIdOf(page, "confirm-contacts") });
    const posted = await fetch(`${server.url()}/c/${fixture.token}?lang=en`, { method: "POST", headers: FORM_POST, body, redirect: "manual" });
    expect(posted.status).toBe(303);
    const location = posted.headers.get("location")!;
    expect(location).toBe(`/c/${fixture.token}?lang=en&done=confirm-contacts`);
    const after = await (await fetch(`${server.url()}${location}`, { headers: BROWSER })).text();
    const [customer] = await database.get().db.select().from(customers).where(eq(customers.id, fixture.customerId));
    const date = formatDate(todayIn("Europe/Stockholm", customer!.contactsConfirmedAt!), "en");
    expect(after).toContain(`<div class="notice" role="status"><p class="notice__title">${t("en", "campaign.answered.confirmed")}</p>`);
    expect(after).toContain(t("en", "campaign.answered.body", { date, supplier: "Nordljus Konsult AB" }));
    // Further corrections stay possible.
    expect(after).toContain('name="intent" value="update-contact"');
  });

  it("a wrong field comes back as the page (422) with the error beside the field and what was typed", async () => {
    const fixture = await campaignFixture();
    const page = await (await fetch(`${server.url()}/c/${fixture.token}`, { headers: BROWSER })).text();
    const body = new URLSearchParams({
      intent: "update-organisation",
      submission_id: submissionIdOf(page, "update-organisation"),
      org_number: "556016-0681",
    });
    const refused = await fetch(`${server.url()}/c/${fixture.token}`, { method: "POST", headers: FORM_POST, body, redirect: "manual" });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain(t("sv", "campaign.error.orgNumber"));
    expect(html).toMatch(/<input[^>]*aria-invalid="true"[^>]*value="556016-0681"/);
    expect(html).toContain("<details class=\"disclosure\" open=\"\">");
  });

  it("dead links get one 404 page, the same for every kind, without “send a new link”", async () => {
    const live = await campaignFixture();
    const expired = await campaignFixture({ deadline: new Date(Date.now() - (config.linkGraceDays + 1) * DAY) });
    const tampered = live.token.slice(0, -1) + (live.token.at(-1) === "A" ? "B" : "A");
    const bodies = new Set<string>();
    for (const token of [tampered, expired.token, "not-a-token"]) {
      const response = await fetch(`${server.url()}/c/${token}`, { headers: BROWSER });
      expect(response.status).toBe(404);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      bodies.add(await response.text());
    }
    expect(bodies.size).toBe(1);
    const [html] = [...bodies];
    expect(html).toContain(t("en", "error.notFound.title")); // the root negotiates: no Accept-Language here
    expect(html).toContain('<meta name="referrer" content="no-referrer"/>');
    expect(html).not.toContain("request-link");
    expect(html).not.toContain("<form");
  });

  it("a cross-site form POST is refused (403) by the server before the page sees it", async () => {
    const fixture = await campaignFixture();
    const body = new URLSearchParams({ intent: "confirm-contacts", submission_id: "x".repeat(22) });
    const response = await fetch(`${server.url()}/c/${fixture.token}`, {
      method: "POST",
      headers: { ...FORM_POST, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body,
    });
    expect(response.status).toBe(403);
  });
});

describe("rate limits (L8)", () => {
  // A clock that stands still inside one minute: the 1000-token test must not see its window end.
  const server = useServerApp({ build: build(), config: () => config, db: () => database.get().db, limitStores: memoryLimitStores() });

  it("1000 bad campaign tokens from one IP: at least 970 get 429, a spoofed X-Forwarded-For changes nothing", async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const response = await fetch(`${server.url()}/c/bad-token-${i}`, { headers: { ...BROWSER, "x-forwarded-for": `198.51.100.${i % 250}` } });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      await response.arrayBuffer();
    }
    expect(statuses.get(429)).toBeGreaterThanOrEqual(970);
    expect([...statuses.keys()].sort()).toEqual([404, 429]);
  });
});
