// Security R3: 100 requests for 2,048 px QR PNGs, 20 at a time, held the event loop (health-check
// p99 2.1 s) and grew the process by 360 MB: every request rendered its image again. Now the size
// is capped at 1,024 px, refused beyond with the range named, and each image renders once.
import { afterEach, describe, expect, it, vi } from "vitest";
import QRCode from "qrcode";
import { PNG } from "pngjs";
import type { AppLoadContext } from "@remix-run/node";
import { createApiKey } from "~/api/db/api-keys.server";
import * as apiQrRoute from "~/routes/api.v1.invoices.$id.qr.$kind";
import * as portalQrRoute from "~/routes/i.$token.qr.$kind";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer } from "../../support/fixtures";

const database = useTestDatabase();
const config = testConfig();
const context = (): AppLoadContext => testContext(database.get(), config);

/** An invoice whose supplier has a bankgiro, so it has a Swedish invoice QR code (uqr). */
async function fixture() {
  const { db } = database.get();
  const owner = await createSupplierWithCustomer(db, { supplier: { orgNumber: "556016-0680", bankgiro: "991-2346" } });
  const created = await createInvoiceWithLink(db, config, owner);
  const key = await createApiKey(db, owner.supplier.id);
  const id = created.invoice.id;
  return {
    token: created.token,
    api: (kind: string, query: string) =>
      callRoute(apiQrRoute.loader, context(), { path: `/api/v1/invoices/${id}/qr/${kind}${query}`, params: { id, kind }, headers: { authorization: `Bearer ${key.key}` } }),
  };
}

afterEach(() => vi.restoreAllMocks());

describe("QR images are capped in size and rendered once", () => {
  it.each(["2048", "1025", "63"])("?size=%s → 422 naming the allowed range; the payer's route refuses it too", async (size) => {
    const f = await fixture();
    const answer = await f.api("uqr.png", `?size=${size}`);
    expect(answer.status).toBe(422);
    expect((await answer.json()).errors).toEqual([{ field: "size", message: "must be between 64 and 1024" }]);
    const portal = await callRoute(portalQrRoute.loader, context(), { path: `/i/${f.token}/qr/uqr.png?size=${size}`, params: { token: f.token, kind: "uqr.png" } });
    expect(portal.status).toBe(400);
  });

  it("100 requests for the largest PNG, 20 at a time, render it once and get the same image", async () => {
    const f = await fixture();
    const render = vi.spyOn(QRCode, "toBuffer");
    const images: Buffer[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => f.api("uqr.png", "?size=1024")));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
      images.push(...(await Promise.all(answers.map(async (answer) => Buffer.from(await answer.arrayBuffer())))));
    }
    expect(render).toHaveBeenCalledTimes(1);
    expect(new Set(images.map((image) => image.toString("base64"))).size).toBe(1);
    expect(PNG.sync.read(images[0]!).width).toBe(1024);
    // Another size is another image.
    expect((await f.api("uqr.png", "?size=512")).status).toBe(200);
    expect(render).toHaveBeenCalledTimes(2);
  });
});
