// The payer approves deliveries or reports a problem with one, and corrects or adds billing
// contacts; each with its audit event, emails and webhook in one transaction.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { contacts, deliveries, disputes, invoices } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { drainJobs } from "~/platform/jobs/queue.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";
import { testConfig, testContext } from "../../support/context";
import {
  BILLING_EMAIL, FILES, SUPPLIER_INBOX, emailsOf, eventsOf, newSubmissionId, openPage, payerFixture, post, snapshot,
  webhookMessagesOf, withDeliveries,
} from "./payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

async function invoiceFacts(id: string) {
  const [row] = await db().select({ disputed: invoices.disputed, deliveryStatus: invoices.deliveryStatus }).from(invoices).where(eq(invoices.id, id));
  return row!;
}

async function deliveryStatus(id: string) {
  const [row] = await db().select().from(deliveries).where(eq(deliveries.id, id));
  return row!.status;
}

describe("deliveries", () => {
  it("approve one, report a damaged item on the other: statuses, facts, events, emails and webhooks", async () => {
    const fixture = await payerFixture(db(), config);
    const [whole, books] = await withDeliveries(db(), fixture, [
      { description: "Consulting on site", delivered_on: "2026-03-10", location: "Fjällbacka" },
      { description: "Books, 2 pcs", lines: [2] },
    ]);
    expect(await invoiceFacts(fixture.invoice.id)).toEqual({ disputed: false, deliveryStatus: "pending" });
    const page = await openPage(context(), fixture.token);
    expect(page.panel.deliveries.map((delivery) => [delivery.description, delivery.status, delivery.canApprove])).toEqual([
      ["Consulting on site", "pending", true],
      ["Books, 2 pcs", "pending", true],
    ]);

    const approved = await post(context(), fixture.token, {
      intent: "approve-delivery",
      delivery_id: whole!.id,
      submission_id: page.panel.submissionIds[`approve-delivery:${whole!.id}`]!,
    });
    expect(approved.status).toBe(303);
    expect(approved.headers.get("location")).toBe(`/i/${fixture.token}?done=approve-delivery`);
    expect(await deliveryStatus(whole!.id)).toBe("approved");
    expect(await invoiceFacts(fixture.invoice.id)).toEqual({ disputed: false, deliveryStatus: "pending" });
    expect(await eventsOf(db(), fixture.invoice.id, "delivery.approved")).toMatchObject([
      { actor: "payer", actorId: fixture.linkId, data: { delivery_id: whole!.id, description: "Consulting on site" } },
    ]);
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "delivery.approved")).toMatchObject([
      { payload: { delivery: { id: whole!.id, status: "approved" }, invoice: { id: fixture.invoice.id, delivery_status: "pending" } } },
    ]);

    const damaged = await post(
      context(),
      fixture.token,
      { intent: "report-delivery-problem", delivery_id: books!.id, reason: "damaged", lines: ["2"], message: "One book arrived torn." },
      { file: { name: "IMG_0042.png", bytes: FILES.png, type: "image/png" } },
    );
    expect(damaged.status).toBe(303);
    expect(await deliveryStatus(books!.id)).toBe("problem");
    expect(await invoiceFacts(fixture.invoice.id)).toEqual({ disputed: true, deliveryStatus: "problem" });
    const [dispute] = await db().select().from(disputes).where(eq(disputes.deliveryId, books!.id));
    expect(dispute).toMatchObject({ kind: "delivery", reason: "damaged", linePositions: [2], status: "open" });
    expect(dispute!.attachmentId).toMatch(/^att_/);
    expect(await eventsOf(db(), fixture.invoice.id, "delivery.disputed")).toMatchObject([
      { data: { dispute_id: dispute!.id, delivery_id: books!.id, reason: "damaged" } },
    ]);
    const mails = await emailsOf(db(), fixture.invoice.id);
    expect(mails.map((mail) => [mail.template, mail.toAddress])).toEqual([["new-problem", SUPPLIER_INBOX]]);
    expect(mails[0]!.props).toMatchObject({ kind: "delivery", reason: "damaged", deliveryDescription: "Books, 2 pcs" });
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "delivery.disputed")).toMatchObject([
      { payload: { dispute: { id: dispute!.id, kind: "delivery" }, delivery: { id: books!.id, status: "problem" }, invoice: { delivery_status: "problem", disputed: true } } },
    ]);

    const after = await openPage(context(), fixture.token);
    expect(after.panel.deliveries.map((delivery) => [delivery.status, delivery.canApprove, delivery.canReport])).toEqual([
      ["approved", false, true],
      ["problem", false, false],
    ]);
    expect(after.panel.disputes).toMatchObject([{ kind: "delivery", deliveryDescription: "Books, 2 pcs", status: "open" }]);
    expect(after.panel.timeline.map((item) => item.kind)).toEqual([
      "deliveryAdded", "deliveryAdded", "viewed", "deliveryApproved", "deliveryDisputed",
    ]);
  });

  it("an approved delivery cannot be approved again, one with an open problem neither (409); nothing changes", async () => {
    const fixture = await payerFixture(db(), config);
    const [first, second] = await withDeliveries(db(), fixture, [{ description: "Pallet 1" }, { description: "Pallet 2" }]);
    expect((await post(context(), fixture.token, { intent: "approve-delivery", delivery_id: first!.id })).status).toBe(303);
    expect((await post(context(), fixture.token, { intent: "report-delivery-problem", delivery_id: second!.id, reason: "not_received" })).status).toBe(303);
    const before = await snapshot(db());
    const again = await post(context(), fixture.token, { intent: "approve-delivery", delivery_id: first!.id });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ form: `approve-delivery:${first!.id}`, formError: "actions.error.deliveryApproved" });
    const open = await post(context(), fixture.token, { intent: "approve-delivery", delivery_id: second!.id });
    expect(open.status).toBe(409);
    const twice = await post(context(), fixture.token, { intent: "report-delivery-problem", delivery_id: second!.id, reason: "late" });
    expect(twice.status).toBe(409);
    expect(await snapshot(db())).toEqual(before);
  });

  it("a repeated approval submit changes nothing; another invoice's delivery is refused (422)", async () => {
    const fixture = await payerFixture(db(), config);
    const [delivery] = await withDeliveries(db(), fixture, [{ description: "Pallet" }]);
    const other = await payerFixture(db(), config);
    const fields = { intent: "approve-delivery", delivery_id: delivery!.id, submission_id: newSubmissionId() };
    expect((await post(context(), fixture.token, fields)).status).toBe(303);
    const before = await snapshot(db());
    expect((await post(context(), fixture.token, fields)).status).toBe(303);
    expect(await snapshot(db())).toEqual(before);

    const foreign = await post(context(), other.token, { intent: "approve-delivery", delivery_id: delivery!.id });
    expect(foreign.status).toBe(422);
    expect(await foreign.json()).toMatchObject({ formError: "actions.error.unknownDelivery" });
    expect((await post(context(), other.token, { intent: "approve-delivery", delivery_id: "nonsense" })).status).toBe(422);
    expect(await snapshot(db())).toEqual(before);
  });

  it("a delivery problem needs a reason of its kind and lines of that delivery", async () => {
    const fixture = await payerFixture(db(), config);
    const [books] = await withDeliveries(db(), fixture, [{ description: "Books", lines: [2] }]);
    const before = await snapshot(db());
    const noReason = await post(context(), fixture.token, { intent: "report-delivery-problem", delivery_id: books!.id });
    expect(noReason.status).toBe(422);
    expect(await noReason.json()).toMatchObject({ form: `report-delivery-problem:${books!.id}`, errors: { reason: "actions.error.reason" } });
    const invoiceReason = await post(context(), fixture.token, { intent: "report-delivery-problem", delivery_id: books!.id, reason: "wrong_amount" });
    expect(invoiceReason.status).toBe(422);
    const otherLine = await post(context(), fixture.token, { intent: "report-delivery-problem", delivery_id: books!.id, reason: "damaged", lines: ["1"] });
    expect(otherLine.status).toBe(422);
    expect(await otherLine.json()).toMatchObject({ errors: { lines: "actions.error.lines" } });
    expect(await snapshot(db())).toEqual(before);
  });
});

const CONTACT = {
  intent: "update-contact",
  name: "Eva Ekonomi",
  email: "faktura@fjallbacka.example",
  phone: "+46 70 123 45 67",
  invoice_reference: "Ref 55",
  address_line1: "Hamngatan 1",
  address_line2: "",
  postal_code: "457 40",
  city: "Fjällbacka",
  country: "se",
  language: "sv",
  channel: "email",
  peppol_id: "",
};

describe("billing contacts", () => {
  it("changing the billing email: before/after audited, both addresses told, supplier webhook, page shows the new one", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await post(context(), fixture.token, { ...CONTACT, contact_id: fixture.contactId });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/i/${fixture.token}?done=update-contact`);
    const [row] = await db().select().from(contacts).where(eq(contacts.id, fixture.contactId));
    expect(row).toMatchObject({ email: "faktura@fjallbacka.example", phone: "+46 70 123 45 67", country: "SE", postalCode: "457 40", channel: "email" });

    const [event] = await eventsOf(db(), fixture.invoice.id, "contact.updated");
    expect(event).toMatchObject({
      actor: "payer",
      ip: "203.0.113.7",
      userAgent: "vitest",
      data: {
        contact_id: fixture.contactId,
        before: { email: BILLING_EMAIL, name: null, language: "sv" },
        after: { email: "faktura@fjallbacka.example", name: "Eva Ekonomi", country: "SE" },
      },
    });
    expect((event!.data as { changed: string[] }).changed).toEqual(expect.arrayContaining(["email", "name", "phone", "postal_code"]));

    const mails = await emailsOf(db(), fixture.invoice.id);
    expect(mails.map((mail) => [mail.template, mail.toAddress]).sort()).toEqual([
      ["contact-changed", BILLING_EMAIL],
      ["contact-changed", "faktura@fjallbacka.example"],
    ]);
    expect(mails[0]!.props).toMatchObject({ added: false, changes: expect.arrayContaining([{ field: "email", from: BILLING_EMAIL, to: "faktura@fjallbacka.example" }]) });
    // A bearer link never goes to an address typed into the form: not in the props, and the email
    // job gives these emails the payment facts but no portal link of their own.
    expect(JSON.stringify(mails.map((mail) => mail.props))).not.toContain(fixture.token);
    await drainJobs(context().app, { names: [EMAIL_SEND_JOB] });
    const sent = await emailsOf(db(), fixture.invoice.id);
    expect(sent.map((mail) => [mail.status, mail.linkId])).toEqual([["sent", null], ["sent", null]]);
    for (const mail of sent) {
      expect(mail.text).not.toMatch(/\/i\//);
      expect(mail.text).toContain("OCR");
    }

    expect(await webhookMessagesOf(db(), fixture.supplier.id, "contact.updated")).toMatchObject([
      { payload: { action: "updated", contact_id: fixture.contactId, before: { email: BILLING_EMAIL }, after: { email: "faktura@fjallbacka.example" } } },
    ]);
    const page = await openPage(context(), fixture.token);
    expect(page.panel.contacts).toMatchObject([{ id: fixture.contactId, email: "faktura@fjallbacka.example", name: "Eva Ekonomi" }]);
    expect(page.panel.timeline.map((item) => item.kind)).toContain("contactUpdated");
  });

  it.each<[string, Record<string, string>, string, string]>([
    ["an invalid email", { email: "faktura@" }, "email", "actions.error.email"],
    ["no email for the email channel", { email: "" }, "email", "actions.error.required"],
    ["a phone number with letters", { phone: "070-CALL-ME" }, "phone", "actions.error.phone"],
    ["a malformed Peppol id", { channel: "peppol", peppol_id: "5560160680" }, "peppol_id", "actions.error.peppolId"],
    ["no Peppol id for e-invoices", { channel: "peppol", peppol_id: "" }, "peppol_id", "actions.error.required"],
    ["a Swedish postal code of four digits", { postal_code: "4574" }, "postal_code", "actions.error.postalCode"],
    ["no city for post", { channel: "post", city: "" }, "city", "actions.error.required"],
    ["a three-letter country", { country: "SWE" }, "country", "actions.error.country"],
    ["an unknown language", { language: "fi" }, "language", "actions.error.language"],
    ["an unknown channel", { channel: "fax" }, "channel", "actions.error.channel"],
  ])("%s → 422 naming the field, nothing changed", async (_case, change, field, message) => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    const response = await post(context(), fixture.token, { ...CONTACT, contact_id: fixture.contactId, ...change });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.form).toBe(`update-contact:${fixture.contactId}`);
    expect(body.errors[field]).toBe(message);
    expect(body.values).toMatchObject(change);
    expect(await snapshot(db())).toEqual(before);
  });

  it("accepts a Peppol id like 0007:5560160680 and a foreign postal code", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await post(context(), fixture.token, {
      ...CONTACT, contact_id: fixture.contactId, channel: "peppol", peppol_id: "0007:5560160680", country: "NO", postal_code: "0150",
    });
    expect(response.status).toBe(303);
    const [row] = await db().select().from(contacts).where(eq(contacts.id, fixture.contactId));
    expect(row).toMatchObject({ channel: "peppol", peppolId: "0007:5560160680", country: "NO" });
  });

  it("saving an unchanged contact succeeds and tells nobody", async () => {
    const fixture = await payerFixture(db(), config);
    const unchanged = { ...CONTACT, contact_id: fixture.contactId, name: "", email: BILLING_EMAIL, phone: "", invoice_reference: "", address_line1: "", postal_code: "", city: "", country: "" };
    const before = await snapshot(db());
    const response = await post(context(), fixture.token, unchanged);
    expect(response.status).toBe(303);
    const after = await snapshot(db());
    expect({ ...after, form_submissions: "" }).toEqual({ ...before, form_submissions: "" });
  });

  it("adding a contact: stored, audited, the new and the existing address told, webhook", async () => {
    const fixture = await payerFixture(db(), config);
    const { contact_id: _omit, ...fields } = { ...CONTACT, contact_id: "", intent: "add-contact", email: "ap@fjallbacka.example" };
    const response = await post(context(), fixture.token, fields);
    expect(response.status).toBe(303);
    const rows = await db().select().from(contacts).where(eq(contacts.customerId, fixture.customerId));
    expect(rows.map((row) => row.email).sort()).toEqual(["ap@fjallbacka.example", BILLING_EMAIL]);
    const added = rows.find((row) => row.email === "ap@fjallbacka.example")!;
    expect(await eventsOf(db(), fixture.invoice.id, "contact.added")).toMatchObject([{ data: { contact_id: added.id, before: null, after: { email: "ap@fjallbacka.example" } } }]);
    expect((await emailsOf(db(), fixture.invoice.id)).map((mail) => mail.toAddress).sort()).toEqual(["ap@fjallbacka.example", BILLING_EMAIL]);
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "contact.updated")).toMatchObject([{ payload: { action: "added", before: null } }]);
  });

  it("contacts stay editable on a cancelled invoice; another customer's contact is refused", async () => {
    const fixture = await payerFixture(db(), config, { invoice: { cancelledAt: new Date() } });
    expect((await post(context(), fixture.token, { ...CONTACT, contact_id: fixture.contactId })).status).toBe(303);

    const stranger = await payerFixture(db(), config);
    const before = await snapshot(db());
    const response = await post(context(), stranger.token, { ...CONTACT, contact_id: fixture.contactId, email: "hijack@evil.example" });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ formError: "actions.error.unknownContact" });
    expect(await snapshot(db())).toEqual(before);
  });
});
