// The payer's page as a phone shows it. The first way to pay (or, once paid, the
// receipt) is within the first 390×844 screen; every button and button-styled link is readable
// (≥ 4.5:1) in both languages and every brand tone; a refused form answers 422 and lands the
// browser at its error; the VAT table never scrolls sideways at 320 px (400 % zoom).
import { test, expect, type Page } from "@playwright/test";
import { BRAND_TONES } from "../app/components/invoice/brand";
import { apiHeaders, baseUrl, demo, demoInvoice, newInvoice } from "./fixtures";

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE });

/** The bottom edge of the element, in page coordinates at the top of the page. */
async function bottomOf(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).first().boundingBox();
  expect(box, `${selector} is on the page`).not.toBeNull();
  return box!.y + box!.height;
}

async function partlyPaidUrl(request: Parameters<typeof newInvoice>[0]): Promise<string> {
  const invoice = await newInvoice(request, "partly-paid");
  const paid = await request.post(`${baseUrl()}/api/v1/invoices/${invoice.id}/payments`, {
    headers: apiHeaders(),
    data: { amount: 500000, currency: "SEK", method: "bank_transfer" },
  });
  expect(paid.status()).toBe(201);
  return invoice.url;
}

test.describe("the first phone screen", () => {
  for (const label of ["due", "overdue", "partly paid", "paid"] as const) {
    for (const locale of ["sv", "en"] as const) {
      test(`holds the first way to pay, or the receipt once paid: ${label} invoice (${locale})`, async ({ page, request }) => {
        const url = label === "partly paid" ? await partlyPaidUrl(request) : demoInvoice(label).url;
        await page.goto(`${url.split("?")[0]}?lang=${locale}`);
        const first = label === "paid" ? "#receipt .receipt" : ".pay-option :is(button, .pay)";
        expect(await bottomOf(page, first)).toBeLessThanOrEqual(PHONE.height);
        await expect(page.locator(".summary__due")).toBeInViewport();
      });
    }
  }
});

/** Every visible button and button-styled link with its text and background colours' contrast. */
async function buttonContrasts(page: Page): Promise<{ text: string; ratio: number }[]> {
  return page.locator("main").evaluate((main) => {
    const rgba = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number) as number[];
    const luminance = ([r, g, b]: number[]) => {
      const channel = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
    };
    const background = (element: Element | null): number[] => {
      for (let node = element; node; node = node.parentElement) {
        const color = rgba(getComputedStyle(node).backgroundColor);
        if (color.length === 3 || (color[3] ?? 0) > 0) return color;
      }
      return [255, 255, 255];
    };
    const targets = [...main.querySelectorAll("button, .button, [role='button']")].filter((element) => (element as HTMLElement).offsetParent !== null);
    return targets.map((element) => {
      const fg = luminance(rgba(getComputedStyle(element).color));
      const bg = luminance(background(element));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      return { text: (element.textContent ?? "").trim(), ratio: Math.round(ratio * 100) / 100 };
    });
  });
}

function expectReadable(found: { text: string; ratio: number }[], where: string) {
  expect(found.length, `buttons on ${where}`).toBeGreaterThan(0);
  expect(found.filter((button) => button.ratio < 4.5), where).toEqual([]);
}

test("every button and button-styled link has at least 4.5:1 contrast, in both languages and every brand tone", async ({ page, request }) => {
  const due = demoInvoice("due");
  const payLink = await request.get(`${baseUrl()}/api/v1/invoices/${due.id}/pay-link`, { headers: apiHeaders() });
  expect(payLink.status()).toBe(200);
  const pages = {
    invoice: due.url.split("?")[0]!,
    "pay link": (await payLink.json()).url as string,
    campaign: demo().campaignUrl!,
  };
  for (const locale of ["sv", "en"] as const) {
    for (const [name, url] of Object.entries(pages)) {
      await page.goto(`${url}?lang=${locale}`);
      if (name !== "campaign") {
        await expect(page.locator(".button--pay").first()).toBeVisible();
        await expect(page.locator(".copy-button").first()).toBeVisible(); // the script ran under the CSP
      }
      expectReadable(await buttonContrasts(page), `${name} (${locale})`);
    }
  }
  // The same buttons in every tone a supplier's colour maps to.
  await page.goto(`${pages.invoice}?lang=sv`);
  for (const tone of Object.keys(BRAND_TONES)) {
    await page.locator("main").evaluate((main, tone) => {
      main.setAttribute("class", main.className.replace(/brand--\w+/, `brand--${tone}`));
    }, tone);
    expectReadable(await buttonContrasts(page), `invoice in brand--${tone}`);
  }
});

test("the campaign's one-tap answer is within the first phone screen", async ({ page }) => {
  await page.goto(`${demo().campaignUrl}?lang=en`);
  const answered = await page.locator(".notice").count();
  const target = answered > 0 ? "main .notice" : "#confirm-contacts-form button";
  expect(await bottomOf(page, target)).toBeLessThanOrEqual(PHONE.height);
});

test("a refused form answers 422 and lands at its error, under no earlier action's notice", async ({ page, request }) => {
  const invoice = await newInvoice(request, "refused");
  await page.goto(invoice.url);
  await page.getByRole("button", { name: "The invoice is correct" }).click();
  await expect(page).toHaveURL(/done=confirm/);

  await page.getByText("Add a billing contact").click();
  const form = page.locator("#add-contact-form");
  await form.evaluate((element) => ((element as HTMLFormElement).noValidate = true)); // the server's check, not the browser's
  await form.getByLabel("Email for invoices").fill("anna@");
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === "POST"),
    form.getByRole("button", { name: "Add the contact" }).click(),
  ]);
  expect(response.status()).toBe(422);
  await page.waitForLoadState();
  const url = new URL(page.url());
  expect(url.searchParams.get("done")).toBeNull();
  expect(url.searchParams.get("lang")).toBe("en");
  expect(url.hash).toBe("#add-contact-form");
  await expect(page.locator("#add-contact-alert")).toBeInViewport();
  await expect(page.getByRole("status").filter({ hasText: "Thank you" })).toHaveCount(0);
  // The field is marked: a red border, not the grey one of a valid field.
  const email = page.locator("#add-contact-email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  expect(await email.evaluate((element) => getComputedStyle(element).borderTopColor)).toBe("rgb(161, 26, 26)");
});

test("at 320 px (400 % zoom) the VAT table and the page fit without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${demoInvoice("due").url.split("?")[0]}?lang=en`);
  const vat = page.locator("table.vat");
  await expect(vat).toBeVisible();
  expect(await vat.evaluate((table) => table.scrollWidth - table.parentElement!.clientWidth)).toBeLessThanOrEqual(0);
  expect(await page.locator("html").evaluate((html) => html.scrollWidth - html.clientWidth)).toBeLessThanOrEqual(0);
});
