import { describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { loader, action } from "~/routes/api.v1.supplier";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { OPERATOR, revokeSupplierApiKey } from "~/features/suppliers/suppliers.server";

const database = useTestDatabase();
const context = () => testContext(database.get());


const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (key: string) => callRoute(loader, context(), { path: "/api/v1/supplier", headers: auth(key) });
const patch = (key: string, json: unknown) =>
  callRoute(action, context(), { method: "PATCH", path: "/api/v1/supplier", headers: auth(key), json });

async function supplierEvents(supplierId: string) {
  return database.get().db.select().from(events).where(eq(events.supplierId, supplierId)).orderBy(asc(events.seq));
}

type Problem = { status: number; errors: { field: string; message: string }[] };

describe("GET /api/v1/supplier", () => {
  it("returns the key's supplier with every setting", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { name: "Test Leverantör AB", audited: true, settings: { org_number: "5560360793" } });
    const response = await get(key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        "id", "name", "org_number", "vat_number", "bankgiro", "plusgiro", "iban", "bic", "swish_number",
        "time_zone", "language", "brand_color", "logo_url", "notification_email", "contact_email", "contact_phone", "reminder_policy",
        "reminder_policy_is_default", "reminder_fee_agreed", "reminder_fee", "payment_options", "payment_report_pause_days",
        "pay_box_position", "created_at", "updated_at",
      ].sort(),
    );
    expect(body).toMatchObject({
      id: supplierId,
      name: "Test Leverantör AB",
      org_number: "556036-0793",
      bankgiro: null,
      time_zone: "Europe/Stockholm",
      language: "sv",
    });
    expect(new Date(body.created_at as string).toISOString()).toBe(body.created_at);
  });

  it("shows each key only its own supplier", async () => {
    const a = await newSupplier(database.get().db, { name: "Supplier A", audited: true });
    const b = await newSupplier(database.get().db, { name: "Supplier B", audited: true });
    expect(await (await get(a.key)).json()).toMatchObject({ id: a.supplierId, name: "Supplier A" });
    expect(await (await get(b.key)).json()).toMatchObject({ id: b.supplierId, name: "Supplier B" });

    const changed = await patch(a.key, { name: "Supplier A, renamed" });
    expect(await changed.json()).toMatchObject({ id: a.supplierId, name: "Supplier A, renamed" });
    expect((await getSupplier(database.get().db, b.supplierId))?.name).toBe("Supplier B");
  });

  it("answers 401 without a key, with an unknown key and with a revoked key", async () => {
    const { key, apiKeyId: keyId } = await newSupplier(database.get().db, { name: "Test Leverantör AB", audited: true });
    expect((await callRoute(loader, context(), { path: "/api/v1/supplier" })).status).toBe(401);
    expect((await get("pp_live_doesnotexistdoesnotexist00")).status).toBe(401);

    expect((await revokeSupplierApiKey(database.get().db, keyId, OPERATOR)).ok).toBe(true);
    const response = await get(key);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await patch(key, { name: "Taken over" })).status).toBe(401);
  });
});

describe("PATCH /api/v1/supplier", () => {
  it("stores normalised values and records before and after", async () => {
    const { supplierId, key, apiKeyId: keyId } = await newSupplier(database.get().db, { name: "Test Leverantör AB", audited: true, settings: { brand_color: "#000000" } });
    const response = await patch(key, {
      bankgiro: "9912346",
      iban: "se45 5000 0000 0583 9825 7466",
      org_number: "556036 0793",
      vat_number: "se 5560 3607 9301",
      plusgiro: "41 26 21-5",
      bic: "eskbsess",
      swish_number: "070-123 45 67",
      time_zone: "europe/helsinki",
      language: "en",
      brand_color: "#1A5FB4",
      logo_url: "https://cdn.example.com/logo.png",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    const expected = {
      id: supplierId,
      bankgiro: "991-2346",
      iban: "SE4550000000058398257466",
      org_number: "556036-0793",
      vat_number: "SE556036079301",
      plusgiro: "412621-5",
      bic: "ESKBSESS",
      swish_number: "46701234567",
      time_zone: "Europe/Helsinki",
      language: "en",
      brand_color: "#1a5fb4",
      logo_url: "https://cdn.example.com/logo.png",
    };
    expect(body).toMatchObject(expected);
    expect(await (await get(key)).json()).toMatchObject(expected);

    const updated = (await supplierEvents(supplierId)).filter((event) => event.type === "supplier.updated");
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ actor: "supplier", actorId: keyId, ip: "203.0.113.7", userAgent: "vitest" });
    expect(updated[0]!.data).toEqual({
      changes: {
        bankgiro: { from: null, to: "991-2346" },
        iban: { from: null, to: "SE4550000000058398257466" },
        org_number: { from: null, to: "556036-0793" },
        vat_number: { from: null, to: "SE556036079301" },
        plusgiro: { from: null, to: "412621-5" },
        bic: { from: null, to: "ESKBSESS" },
        swish_number: { from: null, to: "46701234567" },
        time_zone: { from: "Europe/Stockholm", to: "Europe/Helsinki" },
        language: { from: "sv", to: "en" },
        brand_color: { from: "#000000", to: "#1a5fb4" },
        logo_url: { from: null, to: "https://cdn.example.com/logo.png" },
      },
    });
  });

  it("clears an optional field with null, and records only fields that changed", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { name: "Same Name AB", audited: true, settings: { bankgiro: "991-2346" } });
    const response = await patch(key, { bankgiro: null, name: "Same Name AB" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ bankgiro: null, name: "Same Name AB" });
    const updated = (await supplierEvents(supplierId)).filter((event) => event.type === "supplier.updated");
    expect(updated.map((event) => event.data)).toEqual([{ changes: { bankgiro: { from: "991-2346", to: null } } }]);

    // Sending the values it already has changes nothing and records nothing.
    expect((await patch(key, { bankgiro: null })).status).toBe(200);
    expect((await supplierEvents(supplierId)).filter((event) => event.type === "supplier.updated")).toHaveLength(1);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ["bankgiro", { bankgiro: "9912345" }],
    ["iban", { iban: "SE4550000000058398257467" }],
    ["org_number", { org_number: "5560360794" }],
    ["vat_number", { vat_number: "SE556036079302" }],
    ["plusgiro", { plusgiro: "4126218" }],
    ["bic", { bic: "ESKB" }],
    ["swish_number", { swish_number: "0812345678" }],
    ["time_zone", { time_zone: "Mars/Olympus_Mons" }],
    ["time_zone", { time_zone: null }],
    ["language", { language: "de" }],
    ["brand_color", { brand_color: "blue" }],
    ["brand_color", { brand_color: "#12345" }],
    ["logo_url", { logo_url: "http://cdn.example.com/logo.png" }],
    ["logo_url", { logo_url: "https://user:secret@cdn.example.com/logo.png" }],
    ["name", { name: null }],
    ["name", { name: "   " }],
    ["bankgiro", { bankgiro: 9912346 }],
    ["colour", { colour: "#ffffff" }],
  ];

  it.each(invalid)("rejects a bad %s with 422 and writes nothing (%j)", async (field, bad) => {
    const { supplierId, key } = await newSupplier(database.get().db, { name: "Test Leverantör AB", audited: true, settings: { bankgiro: "5050-1055" } });
    const before = await getSupplier(database.get().db, supplierId);
    const eventsBefore = await supplierEvents(supplierId);

    // A valid change in the same request must not be written either.
    const response = await patch(key, { name: "Should Not Be Stored AB", ...bad });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as Problem;
    expect(problem.errors.map((error) => error.field)).toEqual([field]);
    expect(problem.errors[0]!.message).not.toBe("");

    expect(await getSupplier(database.get().db, supplierId)).toEqual(before);
    expect(await supplierEvents(supplierId)).toHaveLength(eventsBefore.length);
  });

  it("lists every bad field at once", async () => {
    const { key } = await newSupplier(database.get().db, { name: "Test Leverantör AB", audited: true });
    const response = await patch(key, {
      bankgiro: "9912345",
      iban: "SE00",
      org_number: "123",
      time_zone: "Nowhere/Special",
      brand_color: "red",
      logo_url: "ftp://cdn.example.com/logo.png",
      nickname: "x",
      colour: "#fff",
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as Problem;
    expect(problem.errors.map((error) => error.field).sort()).toEqual(
      ["bankgiro", "brand_color", "colour", "iban", "logo_url", "nickname", "org_number", "time_zone"].sort(),
    );
    expect(problem.errors.find((error) => error.field === "bankgiro")?.message).toMatch(/check digit/);
  });

  it("stores the contact payers see for questions, and refuses one that is no email or phone number", async () => {
    const { key } = await newSupplier(database.get().db, { audited: true });
    const set = await patch(key, { contact_email: " fakturor@example.com ", contact_phone: "+46 8  123 456 78" });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ contact_email: "fakturor@example.com", contact_phone: "+46 8 123 456 78" });
    const bad = await patch(key, { contact_email: "fakturor", contact_phone: "call us" });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Problem).errors.map((error) => error.field).sort()).toEqual(["contact_email", "contact_phone"]);
  });

  it("rejects an empty change set and an empty body with 422", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { name: "Test Leverantör AB", audited: true });
    for (const body of [{ json: {} }, { body: "" }, { json: [] }, { json: null }]) {
      const response = await callRoute(action, context(), {
        method: "PATCH",
        path: "/api/v1/supplier",
        headers: { ...auth(key), "content-type": "application/json" },
        ...body,
      });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(((await response.json()) as Problem).errors[0]?.field).toBe("(body)");
    }
    expect((await supplierEvents(supplierId)).filter((event) => event.type === "supplier.updated")).toHaveLength(0);
  });

  it("answers 405 to methods other than GET and PATCH", async () => {
    const { key } = await newSupplier(database.get().db, { name: "Test Leverantör AB", audited: true });
    const response = await callRoute(action, context(), {
      method: "POST", path: "/api/v1/supplier", headers: auth(key), json: { name: "x" },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PATCH");
  });
});
