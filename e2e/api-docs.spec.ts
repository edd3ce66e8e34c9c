// The API reference: plain HTML that works without JavaScript on a phone, passes axe, and links
// to the machine-readable document.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { undecidedContrast } from "./fixtures";

test.use({ viewport: { width: 360, height: 740 } });

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a developer reads the API reference on a phone", async ({ page, request }) => {
    await page.goto("/docs/api");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payer Portal API reference");
    await expect(page.getByRole("heading", { name: "POST /api/v1/invoices", exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "GET /api/v1/invoices/{id}/pay-link", exact: true })).toBeVisible();
    await expect(page.locator("script")).toHaveCount(0);
    // Nothing wider than the phone: long paths and type names wrap.
    const overflow = await page.locator("html").evaluate((html) => html.scrollWidth - html.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const href = await page.getByRole("link", { name: "/api/v1/openapi.json" }).getAttribute("href");
    const response = await request.get(href ?? "");
    expect(response.status()).toBe(200);
    expect(((await response.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});

test("the API reference passes axe", async ({ page }) => {
  // axe checks every node of the reference (every operation and schema): on a loaded 2-core
  // machine that alone takes 10–25 s, near the default 30 s limit.
  test.setTimeout(90_000);
  await page.goto("/docs/api");
  const results = await new AxeBuilder({ page }).analyze();
  expect([...results.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`), ...undecidedContrast(results)]).toEqual([]);
});
