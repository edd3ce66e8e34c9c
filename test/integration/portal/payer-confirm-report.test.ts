// The payer confirms an invoice or reports what is wrong on the portal page: every side effect
// in one transaction, bad input named by field with nothing written, double submits harmless,
// cross-site POSTs refused (security L3, L4, J1, D2).
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { attachments, disputes, formSubmissions, invoices } from "../../../db/schema";
import { invoiceContentHash } from "~/domain/invoice-content-hash";
import { MAX_UPLOAD_BYTES } from "~/domain/upload";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { STANDARD_INVOICE } from "../../support/fixtures";
import {
  BILLING_EMAIL, BROWSER_UA, FILES, SAME_ORIGIN, SUPPLIER_INBOX, emailsOf, eventsOf, newSubmissionId, openPage, payerFixture,
  post, snapshot, webhookMessagesOf,
} from "./payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

async function invoiceRow(id: string) {
  const [row] = await db().select().from(invoices).where(eq(invoices.id, id));
  return row!;
}

describe("confirm", () => {
  it("records who, when, from where and the content hash; tells the supplier by email and webhook; the page shows it", async () => {
    const fixture = await payerFixture(db(), config);
    const page = await openPage(context(), fixture.token);
    expect(page.panel.can.confirm).toBe(true);
    const submissionId = page.panel.submissionIds.confirm!;

    const response = await post(context(), fixture.token, {
      intent: "confirm",
      submission_id: submissionId,
      name: "Anna Andersson",
      reference: "PO-4711",
      cost_centre: "KS 310",
      content_hash: page.panel.contentHash,
    }, { query: "?lang=en" });

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/i/${fixture.token}?lang=en&done=confirm`);
    const expectedHash = invoiceContentHash({
      number: fixture.invoice.number, currency: "SEK", issueDate: "2026-03-01", dueDate: "2026-03-31",
      totalNet: STANDARD_INVOICE.totalNet, totalVat: STANDARD_INVOICE.totalVat, rounding: STANDARD_INVOICE.rounding,
      total: STANDARD_INVOICE.total, ocr: page.invoice.ocr,
      lines: STANDARD_INVOICE.lines.map((line, index) => ({ ...line, position: index + 1 })),
    });
    expect(page.panel.contentHash).toBe(expectedHash);
    const row = await invoiceRow(fixture.invoice.id);
    expect(row).toMatchObject({
      confirmedBy: "Anna Andersson",
      confirmedReference: "PO-4711",
      confirmedCostCentre: "KS 310",
      confirmedContentHash: expectedHash,
    });
    expect(row.confirmedAt).toBeInstanceOf(Date);

    const [event, ...moreEvents] = await eventsOf(db(), fixture.invoice.id, "invoice.confirmed");
    expect(moreEvents).toHaveLength(0);
    expect(event).toMatchObject({
      actor: "payer",
      actorId: fixture.linkId,
      ip: "203.0.113.7",
      userAgent: "vitest",
      customerId: fixture.customerId,
      data: { confirmed_by: "Anna Andersson", reference: "PO-4711", cost_centre: "KS 310", content_hash: expectedHash },
    });

    const mails = await emailsOf(db(), fixture.invoice.id);
    expect(mails.map((mail) => [mail.template, mail.toAddress, mail.status, mail.idempotencyKey])).toEqual([
      ["invoice-confirmed", SUPPLIER_INBOX, "queued", `confirm:${fixture.invoice.id}:supplier`],
    ]);
    expect(mails[0]!.props).toMatchObject({ confirmedBy: "Anna Andersson", reference: "PO-4711", invoiceNumber: fixture.invoice.number });

    const [message] = await webhookMessagesOf(db(), fixture.supplier.id, "invoice.confirmed");
    expect(message!.payload).toMatchObject({
      invoice: { id: fixture.invoice.id, number: fixture.invoice.number },
      confirmed_by: "Anna Andersson",
      reference: "PO-4711",
      content_hash: expectedHash,
    });

    const after = await openPage(context(), fixture.token, "?done=confirm");
    expect(after.panel.notice).toBe("confirm");
    expect(after.panel.can.confirm).toBe(false);
    expect(after.panel.confirmation).toMatchObject({ by: "Anna Andersson", reference: "PO-4711", costCentre: "KS 310" });
    expect(after.panel.timeline.map((item) => item.kind)).toEqual(["viewed", "confirmed"]);
  });

  it("a repeated submit (same submission id) answers the same redirect and changes nothing, also when concurrent", async () => {
    const fixture = await payerFixture(db(), config);
    const fields = { intent: "confirm", submission_id: newSubmissionId(), name: "Bo" };
    const first = await post(context(), fixture.token, fields);
    expect(first.status).toBe(303);
    const before = await snapshot(db());
    const again = await post(context(), fixture.token, fields);
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(await snapshot(db())).toEqual(before);

    const other = await payerFixture(db(), config);
    const racing = { intent: "confirm", submission_id: newSubmissionId() };
    const statuses = await Promise.all([1, 2, 3, 4].map(() => post(context(), other.token, racing).then((r) => r.status)));
    expect(statuses).toEqual([303, 303, 303, 303]);
    expect(await eventsOf(db(), other.invoice.id, "invoice.confirmed")).toHaveLength(1);
    expect(await emailsOf(db(), other.invoice.id)).toHaveLength(1);
  });

  it("a second confirmation (new submission) is a 409 and changes nothing", async () => {
    const fixture = await payerFixture(db(), config);
    expect((await post(context(), fixture.token, { intent: "confirm" })).status).toBe(303);
    const before = await snapshot(db());
    const response = await post(context(), fixture.token, { intent: "confirm", name: "Someone else" });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ form: "confirm", formError: "actions.error.alreadyConfirmed" });
    expect(await snapshot(db())).toEqual(before);
  });

  it("a cancelled invoice cannot be confirmed, a paid one neither; the page offers no confirm button", async () => {
    const cancelled = await payerFixture(db(), config, { invoice: { cancelledAt: new Date() } });
    const paid = await payerFixture(db(), config, { invoice: { amountPaid: STANDARD_INVOICE.total, paidAt: new Date() } });
    const before = await snapshot(db());
    const refused = await post(context(), cancelled.token, { intent: "confirm" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ formError: "actions.error.cancelled" });
    const settled = await post(context(), paid.token, { intent: "confirm" });
    expect(settled.status).toBe(409);
    expect(await settled.json()).toMatchObject({ formError: "actions.error.settled" });
    expect(await snapshot(db())).toEqual(before);

    const page = await openPage(context(), cancelled.token);
    expect(page.panel.can).toEqual({ confirm: false, report: false, decideDeliveries: false });
    expect((await openPage(context(), paid.token)).panel.can).toEqual({ confirm: false, report: true, decideDeliveries: true });
  });

  it("refuses a confirmation of content the payer did not see (the invoice changed since the page was rendered)", async () => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    const response = await post(context(), fixture.token, { intent: "confirm", content_hash: `sha256:${"0".repeat(64)}` });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ formError: "actions.error.changed" });
    expect(await snapshot(db())).toEqual(before);
  });

  it("without a supplier notification address: audit event and webhook, no email", async () => {
    const fixture = await payerFixture(db(), config, { notificationEmail: null });
    expect((await post(context(), fixture.token, { intent: "confirm" })).status).toBe(303);
    expect(await eventsOf(db(), fixture.invoice.id, "invoice.confirmed")).toHaveLength(1);
    expect(await emailsOf(db(), fixture.invoice.id)).toEqual([]);
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "invoice.confirmed")).toHaveLength(1);
  });
});

describe("report a problem with the invoice", () => {
  it("stores the dispute with its line, message and file; the invoice becomes disputed; supplier and payer are told", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await post(
      context(),
      fixture.token,
      { intent: "report-problem", reason: "wrong_amount", lines: ["1"], message: "We agreed 900 kr per hour.", name: "Anna", email: "anna@kund.example" },
      { file: { name: "agreement.pdf", bytes: FILES.pdf, type: "application/pdf" } },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/i/${fixture.token}?done=report-problem`);

    const [dispute, ...others] = await db().select().from(disputes).where(eq(disputes.invoiceId, fixture.invoice.id));
    expect(others).toHaveLength(0);
    expect(dispute).toMatchObject({
      kind: "invoice", reason: "wrong_amount", linePositions: [1], message: "We agreed 900 kr per hour.",
      reporterName: "Anna", reporterEmail: "anna@kund.example", status: "open",
    });
    const [file] = await db().select().from(attachments).where(eq(attachments.id, dispute!.attachmentId!));
    expect(file).toMatchObject({ filename: "agreement.pdf", contentType: "application/pdf", size: FILES.pdf.length });
    expect(Buffer.from(file!.data).equals(FILES.pdf)).toBe(true);
    expect((await invoiceRow(fixture.invoice.id)).disputed).toBe(true);

    const [event] = await eventsOf(db(), fixture.invoice.id, "invoice.disputed");
    expect(event).toMatchObject({ actor: "payer", ip: "203.0.113.7", data: { dispute_id: dispute!.id, reason: "wrong_amount", lines: [1] } });

    const mails = await emailsOf(db(), fixture.invoice.id);
    expect(mails.map((mail) => [mail.template, mail.toAddress, mail.idempotencyKey]).sort()).toEqual([
      ["new-problem", SUPPLIER_INBOX, `dispute:${dispute!.id}:supplier`],
      ["problem-received", "anna@kund.example", `dispute:${dispute!.id}:payer`],
    ]);
    const toSupplier = mails.find((mail) => mail.template === "new-problem")!;
    expect(toSupplier.props).toMatchObject({ kind: "invoice", reason: "wrong_amount", lines: [{ position: 1, description: "Consulting, March" }] });
    // No stored email holds the payer's bearer link (a database dump yields no working link, L1).
    expect(JSON.stringify(mails.map((mail) => mail.props))).not.toContain(fixture.token);
    expect(mails.find((mail) => mail.template === "problem-received")!.props).toMatchObject({ invoiceNumber: fixture.invoice.number });

    const [message] = await webhookMessagesOf(db(), fixture.supplier.id, "invoice.disputed");
    expect(message!.payload).toMatchObject({
      invoice: { id: fixture.invoice.id, disputed: true },
      dispute: { id: dispute!.id, reason: "wrong_amount", lines: [1], attachment: { filename: "agreement.pdf", content_type: "application/pdf" } },
    });

    const page = await openPage(context(), fixture.token);
    expect(page.status).toMatchObject({ disputed: true });
    expect(page.panel.can.confirm).toBe(false);
    expect(page.panel.disputes).toMatchObject([{ reason: "wrong_amount", lineNumbers: [1], status: "open", attachmentName: "agreement.pdf", answer: null }]);
    expect(page.panel.timeline.map((item) => [item.kind, item.reason])).toContainEqual(["disputed", "wrong_amount"]);
  });

  it("works as a plain urlencoded form without a file", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await post(context(), fixture.token, { intent: "report-problem", reason: "not_ordered" });
    expect(response.status).toBe(303);
    const rows = await db().select().from(disputes).where(eq(disputes.invoiceId, fixture.invoice.id));
    expect(rows).toMatchObject([{ reason: "not_ordered", linePositions: null, attachmentId: null, reporterEmail: null }]);
    // No address given: only the supplier hears of it.
    expect((await emailsOf(db(), fixture.invoice.id)).map((mail) => mail.template)).toEqual(["new-problem"]);
  });

  it.each<[string, Record<string, string | string[]>, string, string]>([
    ["missing reason", { message: "Something" }, "reason", "actions.error.reason"],
    ["an unknown reason", { reason: "too_expensive" }, "reason", "actions.error.reason"],
    ["Other without a message", { reason: "other" }, "message", "actions.error.required"],
    ["an invalid email", { reason: "wrong_amount", email: "anna@" }, "email", "actions.error.email"],
    ["a line that is not on the invoice", { reason: "wrong_amount", lines: ["9"] }, "lines", "actions.error.lines"],
    ["a line that is not a number", { reason: "wrong_amount", lines: ["1; drop table"] }, "lines", "actions.error.lines"],
  ])("%s → 422 naming the field, nothing stored", async (_case, fields, field, message) => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    const response = await post(context(), fixture.token, { intent: "report-problem", ...fields }, { multipart: true });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.form).toBe("report-problem");
    expect(body.errors[field]).toBe(message);
    expect(body.values).toMatchObject(Object.fromEntries(Object.entries(fields).filter(([name]) => name !== "lines")));
    expect(await snapshot(db())).toEqual(before);
  });

  it("an oversized file → 413 naming attachment in its form, nothing stored", async () => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    big.set(FILES.pdf.subarray(0, 16));
    const response = await post(context(), fixture.token, { intent: "report-problem", reason: "other", message: "See file" }, {
      file: { name: "scan.pdf", bytes: big, type: "application/pdf" },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ form: "report-problem", errors: { attachment: "actions.error.fileTooLarge" } });
    expect(await snapshot(db())).toEqual(before);

    // Far beyond the limit the body is cut off without reading it all, with the same answer.
    const huge = new Uint8Array(3 * MAX_UPLOAD_BYTES);
    const cut = await post(context(), fixture.token, { intent: "report-problem", reason: "other", message: "x" }, { file: { name: "a.pdf", bytes: huge } });
    expect(cut.status).toBe(413);
    expect(await snapshot(db())).toEqual(before);
  });

  it("an .exe renamed .pdf → 422 naming attachment, nothing stored; a PNG is accepted whatever its name", async () => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    const response = await post(context(), fixture.token, { intent: "report-problem", reason: "wrong_amount" }, {
      file: { name: "invoice.pdf", bytes: FILES.exe, type: "application/pdf" },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ errors: { attachment: "actions.error.fileType" } });
    expect(await snapshot(db())).toEqual(before);

    const png = await post(context(), fixture.token, { intent: "report-problem", reason: "wrong_amount" }, {
      file: { name: "photo.pdf", bytes: FILES.png, type: "application/pdf" },
    });
    expect(png.status).toBe(303);
    const [stored] = await db().select().from(attachments).where(eq(attachments.invoiceId, fixture.invoice.id));
    expect(stored).toMatchObject({ filename: "photo.png", contentType: "image/png" });
  });

  it("an empty file input (nothing chosen) is no attachment", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await post(context(), fixture.token, { intent: "report-problem", reason: "wrong_quantity" }, {
      file: { name: "", bytes: new Uint8Array(0) },
    });
    expect(response.status).toBe(303);
    expect(await db().select().from(attachments).where(eq(attachments.invoiceId, fixture.invoice.id))).toEqual([]);
  });

  it("a cancelled invoice cannot be disputed (409), nothing stored", async () => {
    const fixture = await payerFixture(db(), config, { invoice: { cancelledAt: new Date() } });
    const before = await snapshot(db());
    const response = await post(context(), fixture.token, { intent: "report-problem", reason: "already_paid" });
    expect(response.status).toBe(409);
    expect(await snapshot(db())).toEqual(before);
  });
});

describe("every action", () => {
  it("unknown or missing intent → 400; a missing or malformed submission id → 400; nothing written", async () => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    expect((await post(context(), fixture.token, { intent: "pay-everything" })).status).toBe(400);
    expect((await post(context(), fixture.token, { reason: "other" })).status).toBe(400);
    expect((await post(context(), fixture.token, { intent: "confirm", submission_id: "" })).status).toBe(400);
    expect((await post(context(), fixture.token, { intent: "confirm", submission_id: "short" })).status).toBe(400);
    expect(await snapshot(db())).toEqual(before);
  });

  it.each<[string, Record<string, string>]>([
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["Sec-Fetch-Site: cross-site alone", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site", origin: "https://other.pay.example.test" }],
    ["a foreign Origin without Sec-Fetch-Site", { origin: "https://evil.example" }],
    ["Origin: null without Sec-Fetch-Site", { origin: "null" }],
    ["a foreign Origin despite Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin", origin: "https://evil.example" }],
  ])("a cross-site POST (%s) → 403 with nothing written", async (_case, headers) => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    for (const intent of ["confirm", "report-problem", "update-contact"]) {
      const response = await post(context(), fixture.token, { intent, reason: "other", message: "x", contact_id: fixture.contactId, channel: "email", email: "evil@evil.example" }, { headers: { ...headers, "user-agent": BROWSER_UA } });
      expect(response.status).toBe(403);
    }
    expect(await snapshot(db())).toEqual(before);
  });

  it("same-origin POSTs pass: with both headers, Origin: null vouched for by Sec-Fetch-Site, or neither header (non-browser)", async () => {
    for (const headers of [SAME_ORIGIN, { origin: "null", "sec-fetch-site": "same-origin" }, {}] as Record<string, string>[]) {
      const fixture = await payerFixture(db(), config);
      expect((await post(context(), fixture.token, { intent: "confirm" }, { headers })).status).toBe(303);
    }
  });

  it("a POST to a bad link → 404, nothing written", async () => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    expect((await post(context(), `${fixture.token}x`, { intent: "confirm" })).status).toBe(404);
    expect(await snapshot(db())).toEqual(before);
  });

  it("the page renders a fresh submission id per form on every GET and stores none of them", async () => {
    const fixture = await payerFixture(db(), config);
    const first = await openPage(context(), fixture.token);
    const second = await openPage(context(), fixture.token);
    expect(Object.keys(first.panel.submissionIds).sort()).toEqual(["add-contact", "confirm", "pay-card", "report-payment", "report-problem", `update-contact:${fixture.contactId}`].sort());
    for (const key of Object.keys(first.panel.submissionIds)) {
      expect(first.panel.submissionIds[key]).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(second.panel.submissionIds[key]).not.toBe(first.panel.submissionIds[key]);
    }
    expect(await db().select().from(formSubmissions).where(eq(formSubmissions.invoiceId, fixture.invoice.id))).toEqual([]);
    expect(first.panel.contacts).toMatchObject([{ id: fixture.contactId, email: BILLING_EMAIL, channel: "email" }]);
  });
});
