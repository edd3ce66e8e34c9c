// The reminder policy from the console (/app/settings/reminders): an admin sets own steps, an
// agreed fee in kronor (stored in öre) and the pause after an "I have paid" report through the
// API's settings service (audited with the user); a fee above the statutory 60 kr, steps out of
// order or range are refused by field with nothing written; the standard policy saved as it is
// writes nothing; member and sales may neither open nor post; another supplier stays untouched.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { events, suppliers } from "../../../db/schema";
import * as remindersRoute from "~/routes/app.settings.reminders";
import { can, CONSOLE_ROLES } from "~/domain/console-roles";
import { reminderPolicySentences } from "~/components/console/reminder-policy-summary";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());
const PATH = "/app/settings/reminders";

const supplierState = async (supplierId: string) =>
  (await db().execute(sql`
    select (select row_to_json(s)::text from suppliers s where id = ${supplierId}) as supplier,
           (select count(*) from events where supplier_id = ${supplierId}) as events`))[0];

async function signedIn(role: (typeof CONSOLE_ROLES)[number]) {
  const supplier = await newSupplier(db());
  const user = await newConsoleUser(db(), supplier.supplierId, role);
  return { ...supplier, user, cookie: await signedInCookie(db(), user.user.id, supplier.supplierId) };
}

/** The page's form as it comes filled in, with some fields changed. */
async function formOf(cookie: string, changes: Record<string, string> = {}): Promise<Record<string, string>> {
  const page = (await (await getPage(remindersRoute, context(), PATH, { cookie })).json()) as {
    values: { policy: string; steps: Record<string, { on: boolean; days: string }>; reminder_fee_agreed: boolean; reminder_fee: string; payment_report_pause_days: string };
  };
  const { values } = page;
  const form: Record<string, string> = { intent: "save", policy: values.policy, reminder_fee: values.reminder_fee, payment_report_pause_days: values.payment_report_pause_days };
  if (values.reminder_fee_agreed) form.reminder_fee_agreed = "yes";
  for (const [step, { on, days }] of Object.entries(values.steps)) {
    if (on) form[`${step}_on`] = "yes";
    form[`${step}_days`] = days;
  }
  return Object.fromEntries(Object.entries({ ...form, ...changes }).filter(([, value]) => value !== ""));
}

describe("an admin's reminder policy", () => {
  it("saves own steps, an agreed fee in kronor and the pause, audited; unchanged saves write nothing", async () => {
    const s = await signedIn("admin");
    // The standard policy saved as it is: nothing written.
    const before = await supplierState(s.supplierId);
    const unchanged = await postForm(remindersRoute, context(), PATH, await formOf(s.cookie), { cookie: s.cookie });
    expect(unchanged.headers.get("location")).toBe(`${PATH}?saved=0`);
    expect(await supplierState(s.supplierId)).toEqual(before);

    const form = await formOf(s.cookie, { policy: "custom", before_due_days: "3", first_days: "7", second_on: "", final_days: "20", reminder_fee_agreed: "yes", reminder_fee: "60", payment_report_pause_days: "10" });
    const saved = await postForm(remindersRoute, context(), PATH, form, { cookie: s.cookie });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`${PATH}?saved=1`);
    const [row] = await db().select().from(suppliers).where(eq(suppliers.id, s.supplierId));
    expect(row).toMatchObject({ reminderPolicy: { before_due: -3, first: 7, final: 20 }, reminderFeeAgreed: true, reminderFee: 6000, paymentReportPauseDays: 10 });
    const audit = await db().select().from(events).where(and(eq(events.supplierId, s.supplierId), eq(events.type, "supplier.updated")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "user", actorId: s.user.user.id });

    const page = (await (await getPage(remindersRoute, context(), `${PATH}?saved=1`, { cookie: s.cookie })).json()) as { values: { reminder_fee: string; policy: string }; summary: Parameters<typeof reminderPolicySentences>[1] };
    expect(page.values).toMatchObject({ policy: "custom", reminder_fee: "60" });
    // Amounts are Intl's, with their no-break spaces.
    const sentences = reminderPolicySentences("en", page.summary).map((text) => text.replace(/\s/g, " "));
    expect(sentences.slice(0, 3)).toEqual([
      "3 days before the due date: a friendly note, without a fee.",
      "7 days after the due date: a reminder with a SEK 60.00 fee.",
      "20 days after the due date: a final notice with a SEK 60.00 fee.",
    ]);
    expect(reminderPolicySentences("sv", page.summary)[1]!.replace(/\s/g, " ")).toBe("7 dagar efter förfallodagen: en påminnelse med en avgift på 60,00 kr.");

    // The same form again, with the fee written as "60,00": nothing changes.
    const count = (await supplierState(s.supplierId))!.events;
    const again = await postForm(remindersRoute, context(), PATH, { ...(await formOf(s.cookie)), reminder_fee: "60,00" }, { cookie: s.cookie });
    expect(again.headers.get("location")).toBe(`${PATH}?saved=0`);
    expect((await supplierState(s.supplierId))!.events).toBe(count);
  });

  it("refuses a fee above the statutory cap, steps out of order or range and a bad pause by field; nothing written", async () => {
    const s = await signedIn("owner");
    const before = await supplierState(s.supplierId);
    const form = await formOf(s.cookie, { policy: "custom", before_due_days: "45", first_days: "20", second_days: "10", final_days: "x", reminder_fee_agreed: "yes", reminder_fee: "60,50", payment_report_pause_days: "0" });
    const refused = await postForm(remindersRoute, context(), PATH, form, { cookie: s.cookie });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { errors: Record<string, { key: string; params?: object }>; values: Record<string, string> };
    expect(body.errors).toEqual({
      before_due_days: { key: "console.settings.error.stepDaysBefore", params: { min: 1, max: 30 } },
      final_days: { key: "console.settings.error.stepDaysAfter", params: { min: 1, max: 365 } },
      reminder_fee: { key: "console.settings.error.feeCap", params: { cap: 60 } },
      payment_report_pause_days: { key: "console.settings.error.pauseDays", params: { min: 1, max: 60 } },
    });
    expect(body.values).toMatchObject({ before_due_days: "45", reminder_fee: "60,50", final_days: "x" });
    // Once each step is in range, the order is checked.
    const order = await postForm(remindersRoute, context(), PATH, { ...form, before_due_days: "3", final_days: "30", reminder_fee: "60", payment_report_pause_days: "7" }, { cookie: s.cookie });
    expect(((await order.json()) as { errors: object }).errors).toEqual({ second_days: { key: "console.settings.error.stepOrder.first" } });
    expect(await supplierState(s.supplierId)).toEqual(before);
  });
});

describe("who may open and change the reminder policy", () => {
  it.each(CONSOLE_ROLES)("%s", async (role) => {
    const s = await signedIn(role);
    expect((await getPage(remindersRoute, context(), PATH, { cookie: s.cookie })).status).toBe(can(role, "settings.read") ? 200 : 403);
    if (can(role, "settings.edit")) return;
    const before = await supplierState(s.supplierId);
    const response = await postForm(remindersRoute, context(), PATH, { intent: "save", policy: "custom", reminder_fee_agreed: "yes", reminder_fee: "60", payment_report_pause_days: "30" }, { cookie: s.cookie });
    expect(response.status).toBe(403);
    expect(await supplierState(s.supplierId)).toEqual(before);
  });

  it("a user of supplier B changes only B", async () => {
    const a = await signedIn("owner");
    const b = await signedIn("admin");
    const beforeA = await supplierState(a.supplierId);
    const response = await postForm(remindersRoute, context(), PATH, { ...(await formOf(b.cookie, { payment_report_pause_days: "14" })), supplier_id: a.supplierId }, { cookie: b.cookie });
    expect(response.status).toBe(303);
    expect(await supplierState(a.supplierId)).toEqual(beforeA);
    const [rowB] = await db().select().from(suppliers).where(eq(suppliers.id, b.supplierId));
    expect(rowB!.paymentReportPauseDays).toBe(14);
  });
});
