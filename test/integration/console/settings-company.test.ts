// The company's details from the console (/app/settings/company): an admin saves the form through
// the API's settings service (stored normalised, one audit event naming what changed, with the
// user), a refused form answers each field's error by name with what was typed and writes nothing,
// and the same values saved again write nothing; member and sales may neither open nor post it; a
// user of another supplier changes only their own.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { events, suppliers } from "../../../db/schema";
import * as companyRoute from "~/routes/app.settings.company";
import { can, CONSOLE_ROLES } from "~/domain/console-roles";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());
const PATH = "/app/settings/company";

const supplierState = async (supplierId: string) =>
  (await db().execute(sql`
    select (select row_to_json(s)::text from suppliers s where id = ${supplierId}) as supplier,
           (select count(*) from events where supplier_id = ${supplierId}) as events`))[0];

async function signedIn(role: (typeof CONSOLE_ROLES)[number]) {
  const supplier = await newSupplier(db(), { columns: { bankgiro: "5050-1055", timeZone: "Europe/Stockholm" } });
  const user = await newConsoleUser(db(), supplier.supplierId, role);
  return { ...supplier, user, cookie: await signedInCookie(db(), user.user.id, supplier.supplierId) };
}

type Values = Record<string, string | string[]>;

/** The form as the page fills it in, with some fields changed: what a browser posts. */
async function formOf(cookie: string, changes: Values = {}): Promise<[string, string][]> {
  const page = (await (await getPage(companyRoute, context(), PATH, { cookie })).json()) as { values: Values };
  return [["intent", "save"], ...Object.entries({ ...page.values, ...changes }).flatMap(([name, value]) => [value].flat().map((one): [string, string] => [name, one]))];
}

describe("an admin's company settings", () => {
  it("saves the form (normalised, one audited change with the user); the same values again write nothing", async () => {
    const s = await signedIn("admin");
    const form = await formOf(s.cookie, { bankgiro: "9912346", iban: "se45 5000 0000 0583 9825 7466", contact_phone: "08-123 456 78", time_zone: "Europe/Helsinki", language: "en", payment_options: ["card", "swish"] });
    const saved = await postForm(companyRoute, context(), PATH, form, { cookie: s.cookie });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`${PATH}?saved=1`);
    const [row] = await db().select().from(suppliers).where(eq(suppliers.id, s.supplierId));
    expect(row).toMatchObject({ bankgiro: "991-2346", iban: "SE4550000000058398257466", contactPhone: "08-123 456 78", timeZone: "Europe/Helsinki", language: "en", paymentOptions: ["card", "swish"] });
    const audit = await db().select().from(events).where(and(eq(events.supplierId, s.supplierId), eq(events.type, "supplier.updated")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "user", actorId: s.user.user.id });
    expect(Object.keys((audit[0]!.data as { changes: object }).changes).sort()).toEqual(["bankgiro", "contact_phone", "iban", "language", "payment_options", "time_zone"]);

    const before = await supplierState(s.supplierId);
    const again = await postForm(companyRoute, context(), PATH, await formOf(s.cookie), { cookie: s.cookie });
    expect(again.headers.get("location")).toBe(`${PATH}?saved=0`);
    expect(await supplierState(s.supplierId)).toEqual(before);
    const page = (await (await getPage(companyRoute, context(), `${PATH}?saved=0`, { cookie: s.cookie })).json()) as { saved: string; edit: boolean };
    expect(page).toMatchObject({ saved: "0", edit: true });
  });

  it("a refused form names each wrong field in our words, keeps what was typed and writes nothing", async () => {
    const s = await signedIn("owner");
    const before = await supplierState(s.supplierId);
    const form = await formOf(s.cookie, { name: " ", bankgiro: "5050-1056", plusgiro: "12a", logo_url: "http://cdn.example.test/logo.png", contact_email: "not an address", brand_color: "blue", time_zone: "Mars/Olympus", payment_options: [] });
    const refused = await postForm(companyRoute, context(), PATH, form, { cookie: s.cookie });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { errors: Record<string, { key: string; detail?: string }>; values: Record<string, unknown> };
    expect(body.errors).toEqual({
      name: { key: "console.settings.error.required" },
      bankgiro: { key: "console.settings.error.checkDigit" },
      plusgiro: { key: "console.settings.error.plusgiro" },
      logo_url: { key: "console.settings.error.logo_url" },
      contact_email: { key: "console.settings.error.email" },
      brand_color: { key: "console.settings.error.brand_color" },
      time_zone: { key: "console.settings.error.time_zone" },
      payment_options: { key: "console.settings.error.paymentOptionsNone" },
    });
    expect(body.values).toMatchObject({ bankgiro: "5050-1056", logo_url: "http://cdn.example.test/logo.png", payment_options: [] });
    expect(await supplierState(s.supplierId)).toEqual(before);
  });
});

describe("who may open and change the company settings", () => {
  it.each(CONSOLE_ROLES)("%s", async (role) => {
    const s = await signedIn(role);
    expect((await getPage(companyRoute, context(), PATH, { cookie: s.cookie })).status).toBe(can(role, "settings.read") ? 200 : 403);
    if (can(role, "settings.edit")) return;
    const before = await supplierState(s.supplierId);
    const response = await postForm(companyRoute, context(), PATH, [["intent", "save"], ["name", "Taken Over AB"], ["time_zone", "Europe/Stockholm"], ["language", "sv"], ["payment_options", "card"]], { cookie: s.cookie });
    expect(response.status).toBe(403);
    expect(await supplierState(s.supplierId)).toEqual(before);
  });

  it("a user of supplier B changes only B, whatever supplier the form names", async () => {
    const a = await signedIn("owner");
    const b = await signedIn("owner");
    const beforeA = await supplierState(a.supplierId);
    const form = await formOf(b.cookie, { name: "Bolaget B AB" });
    const response = await postForm(companyRoute, context(), PATH, [...form, ["supplier_id", a.supplierId]], { cookie: b.cookie });
    expect(response.status).toBe(303);
    expect(await supplierState(a.supplierId)).toEqual(beforeA);
    const [rowB] = await db().select().from(suppliers).where(eq(suppliers.id, b.supplierId));
    expect(rowB!.name).toBe("Bolaget B AB");
  });
});
