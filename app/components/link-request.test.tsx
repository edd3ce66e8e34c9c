import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { LOCALES } from "~/i18n";
import { LinkRequestedPage, LinkRequestForm } from "./link-request";

describe("the 'send a new link' form", () => {
  it.each(LOCALES)("posts only its intent to the page's own URL, with no address field (%s)", (locale) => {
    const html = renderToStaticMarkup(<LinkRequestForm locale={locale} />);
    expect(html).toMatch(/^<form method="post" class="link-request">/);
    expect(html).not.toContain("action=");
    expect([...html.matchAll(/<input[^>]*>/g)].map(([input]) => input)).toEqual([
      '<input type="hidden" name="intent" value="request-link"/>',
    ]);
    expect(html).toContain('<button type="submit" class="button">');
  });

  it("speaks Swedish and English", () => {
    expect(renderToStaticMarkup(<LinkRequestForm locale="en" />)).toContain("billing contacts we have on file");
    expect(renderToStaticMarkup(<LinkRequestForm locale="sv" />)).toContain("Skicka en ny länk");
  });

  it("answers without saying whether the link was ours", () => {
    const en = renderToStaticMarkup(<LinkRequestedPage locale="en" />);
    expect(en).toContain("<h1>Request received</h1>");
    expect(en).toContain("If this link is ours, a new link is on its way to the billing contacts on file.");
    expect(renderToStaticMarkup(<LinkRequestedPage locale="sv" />)).toContain("Om länken är vår");
  });
});
