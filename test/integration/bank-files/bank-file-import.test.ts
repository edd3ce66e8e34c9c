// Importing the bank's reconciliation files (security P8, D2): payments booked on the invoices
// their references name, a re-import booking nothing, and every payment a person must look at
// (unmatched, under-, over- and duplicate payments, deductions, other currencies, cancelled
// invoices) flagged; a file that must not be booked is refused whole, with nothing written; a run
// that dies halfway is resumed by the next, and every payment is booked once.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { events, invoices, payments } from "../../../db/schema";
import type { BankFile, BankPayment } from "~/domain/bank-file";
import { rfForInvoice } from "~/domain/rf";
import { bookBankFile } from "~/features/bank-files/bank-file-booking.server";
import { startBankFileImport, type BankFileReport } from "~/features/bank-files/bank-file-import.server";
import { getImport, runImport, type RunOptions } from "~/platform/imports/imports.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { useTestDatabase } from "../../support/database";
import { TEST_CREDENTIALS_KEYS, TEST_LINK_KEYS, testConfig, testContext } from "../../support/context";
import { emailsOf, webhookMessagesOf } from "../portal/payer-helpers";
import { ledgerSnapshot } from "../payments/payments-test-helpers";
import { BANKGIRO, bankWorld, bgmaxFile, camtFile, IBAN, importBankFileNow, type BankWorld } from "./bank-file-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;

const TOTAL = 1_229_700;
const NOW = new Date("2026-03-21T09:00:00Z");

const services = () => ({ ...testContext(database.get(), config).app, now: () => NOW });

const importFile = (world: BankWorld, bytes: Uint8Array, extra: { dryRun?: boolean } = {}) =>
  importBankFileNow(services(), { supplierId: world.supplier.id, bytes, ...extra });

async function importOk(world: BankWorld, bytes: Uint8Array, extra: { dryRun?: boolean } = {}): Promise<BankFileReport> {
  const result = await importFile(world, bytes, extra);
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  return result.body;
}

async function importFailing(world: BankWorld, bytes: Uint8Array, extra: { dryRun?: boolean } = {}) {
  const result = await importFile(world, bytes, extra);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.body)}`);
  return result.problem;
}

const paymentCount = async (supplierId: string) =>
  (await db().select({ n: count() }).from(payments).where(eq(payments.supplierId, supplierId)))[0]!.n;

const invoiceOf = async (id: string) => (await db().select().from(invoices).where(eq(invoices.id, id)))[0]!;

const paymentsOn = (invoiceId: string) => db().select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(payments.providerReference);

describe("P8: a re-import books nothing", () => {
  it("books each payment on its invoice; the same file again adds 0 payments and says already_imported", async () => {
    const world = await bankWorld(db(), config, 3);
    const file = bgmaxFile({
      bankgiro: BANKGIRO,
      date: "2026-03-20",
      payments: world.invoices.map((invoice, index) => ({ refs: [invoice.ocr], amount: TOTAL, serial: 101 + index, payerName: "Fjällbacka Bygg AB" })),
    });

    const first = await importOk(world, file);
    expect(first).toMatchObject({ format: "bgmax", account: { bankgiro: "50501055", iban: null }, test: false, payments: 3, booked: 3, already_imported: 0 });
    expect(first.amount_booked).toEqual({ SEK: 3 * TOTAL });
    expect(first.items.map((item) => item.outcome)).toEqual(["booked", "booked", "booked"]);
    expect(Object.values(first.flags).flat()).toEqual([]);
    expect(await paymentCount(world.supplier.id)).toBe(3);
    for (const invoice of world.invoices) {
      const row = await invoiceOf(invoice.id);
      expect(row.amountPaid).toBe(TOTAL);
      expect(row.paidAt).not.toBeNull();
      const [payment] = await paymentsOn(invoice.id);
      expect(payment).toMatchObject({ provider: "manual", method: "bank_transfer", status: "succeeded", amount: TOTAL, currency: "SEK" });
      expect(payment!.providerReference).toMatch(/^bank:50501055:2026-03-20:0000000001\d\d$/);
      expect(payment!.note).toMatch(/^BgMax line \d+, Fjällbacka Bygg AB$/);
    }
    // What the ledger does for any payment: a receipt to the billing contact, invoice.paid to the supplier.
    expect((await emailsOf(db(), world.invoices[0]!.id)).filter((email) => email.template === "payment-receipt")).toHaveLength(1);
    expect(await webhookMessagesOf(db(), world.supplier.id, "invoice.paid")).toHaveLength(3);

    const again = await importOk(world, file);
    expect(again).toMatchObject({ payments: 3, booked: 0, already_imported: 3, amount_booked: {} });
    expect(again.items.map((item) => item.outcome)).toEqual(["already_imported", "already_imported", "already_imported"]);
    expect(again.items[0]!.invoices).toEqual([{ id: world.invoices[0]!.id, number: world.invoices[0]!.number, amount: TOTAL, payment_id: expect.stringMatching(/^pay_/) }]);
    expect(Object.values(again.flags).flat()).toEqual([]);
    const newPayments = (await paymentCount(world.supplier.id)) - 3;
    expect(newPayments).toBe(0);
    expect(await webhookMessagesOf(db(), world.supplier.id, "invoice.paid")).toHaveLength(3);

    const audit = await db().select().from(events).where(and(eq(events.supplierId, world.supplier.id), eq(events.type, "bank_file.imported"))).orderBy(events.seq);
    expect(audit.map((event) => event.data)).toEqual([
      expect.objectContaining({ format: "bgmax", payments: 3, booked: 3, already_imported: 0, flags: 0 }),
      expect.objectContaining({ format: "bgmax", payments: 3, booked: 0, already_imported: 3, flags: 0 }),
    ]);
    expect(audit[0]).toMatchObject({ actor: "operator", actorId: "cli" });
    console.info(`P8: re-import of the same file (3 payments) → new payments = ${newPayments}, already_imported = ${again.already_imported}`);
  });

  it("books a file once when it is uploaded twice at the same moment", async () => {
    const world = await bankWorld(db(), config, 2);
    const file = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: world.invoices.map((invoice, index) => ({ refs: [invoice.ocr], amount: TOTAL, serial: 1 + index })) });
    const reports = await Promise.all([importOk(world, file), importOk(world, file), importOk(world, file)]);
    expect(reports.map((report) => report.booked).sort()).toEqual([0, 0, 2]);
    expect(reports.map((report) => report.already_imported).sort()).toEqual([0, 2, 2]);
    expect(await paymentCount(world.supplier.id)).toBe(2);
  });

  it("books a camt.054 file paid by RF references, and recognises it again", async () => {
    const world = await bankWorld(db(), config, 2);
    await db().update(invoices).set({ currency: "EUR" }).where(eq(invoices.supplierId, world.supplier.id));
    // The supplier has only an IBAN: a camt.054 file names the account that way.
    await db().execute(`update suppliers set iban = '${IBAN}', bankgiro = null where id = '${world.supplier.id}'`);
    const [one, two] = world.invoices;
    const file = camtFile({
      iban: IBAN,
      date: "2026-03-20",
      payments: [
        { ref: rfForInvoice(one!), amount: "12297.00", currency: "EUR", id: "ACSR-1" },
        // Typed into the message field, grouped as printed: found there, matched all the same.
        { ref: null, freeText: `Faktura ${rfForInvoice(two!)!.replace(/(.{4})(?=.)/g, "$1 ")}`, amount: "100.00", currency: "EUR", id: "ACSR-2" },
      ],
    });
    const report = await importOk(world, file);
    expect(report).toMatchObject({ format: "camt054", account: { iban: IBAN }, booked: 2, amount_booked: { EUR: TOTAL + 10_000 } });
    expect(report.items[1]).toMatchObject({ reference_checked: false, outcome: "booked", invoices: [{ id: two!.id, amount: 10_000 }] });
    expect(report.flags.underpaid).toEqual([expect.objectContaining({ invoice_id: two!.id, message: expect.stringContaining("12197.00 EUR still due") })]);
    expect((await paymentsOn(one!.id))[0]!.providerReference).toBe("bank:ACSR-1");

    const again = await importOk(world, file);
    expect(again).toMatchObject({ booked: 0, already_imported: 2 });
    expect(await paymentCount(world.supplier.id)).toBe(2);
  });
});

describe("flags", () => {
  it("flags an unknown OCR and a payment without reference as unmatched, booking nothing for them", async () => {
    const world = await bankWorld(db(), config, 1);
    const file = bgmaxFile({
      bankgiro: BANKGIRO, date: "2026-03-20",
      payments: [{ refs: ["123455"], amount: 50_000, serial: 1 }, { refs: [], amount: 20_000, serial: 2 }],
    });
    const report = await importOk(world, file);
    expect(report).toMatchObject({ booked: 0, payments: 2 });
    expect(report.items.map((item) => item.outcome)).toEqual(["unmatched", "unmatched"]);
    expect(report.flags.unmatched).toEqual([
      expect.objectContaining({ position: "line 3", reference: "123455", amount: 50_000, invoice_id: null, message: "123455: no invoice has this OCR reference" }),
      expect.objectContaining({ position: "line 4", reference: null, amount: 20_000, message: "No reference the bank could read." }),
    ]);
    expect(await paymentCount(world.supplier.id)).toBe(0);
  });

  it("books a partial payment and flags the invoice underpaid", async () => {
    const world = await bankWorld(db(), config, 1);
    const invoice = world.invoices[0]!;
    const report = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [invoice.ocr], amount: 200_000, serial: 7 }] }));
    expect(report.booked).toBe(1);
    expect(report.flags.underpaid).toEqual([
      expect.objectContaining({ reference: invoice.ocr, amount: 200_000, invoice_id: invoice.id, invoice_number: invoice.number, message: `Invoice ${invoice.number}: 10297.00 SEK still due.` }),
    ]);
    const row = await invoiceOf(invoice.id);
    expect(row.amountPaid).toBe(200_000);
    expect(row.paidAt).toBeNull();
  });

  it("flags a second payment of a paid invoice (another file, another transaction) as duplicate and overpaid, with invoice.overpaid", async () => {
    const world = await bankWorld(db(), config, 1);
    const invoice = world.invoices[0]!;
    await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [invoice.ocr], amount: TOTAL, serial: 1 }] }));
    const second = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-23", payments: [{ refs: [invoice.ocr], amount: TOTAL, serial: 1 }] }));
    expect(second).toMatchObject({ booked: 1, already_imported: 0 });
    expect(second.flags.duplicate).toEqual([expect.objectContaining({ invoice_id: invoice.id, message: `Invoice ${invoice.number} was already fully paid before this payment.` })]);
    expect(second.flags.overpaid).toEqual([expect.objectContaining({ invoice_id: invoice.id, message: `Invoice ${invoice.number} is overpaid by 12297.00 SEK.` })]);
    expect((await invoiceOf(invoice.id)).amountPaid).toBe(2 * TOTAL);
    const overpaid = await webhookMessagesOf(db(), world.supplier.id, "invoice.overpaid");
    expect(overpaid).toHaveLength(1);
    expect(overpaid[0]!.payload).toMatchObject({ invoice: { id: invoice.id, amount_paid: 2 * TOTAL } });
  });

  it("flags two payments of one invoice within one file: the second is the duplicate", async () => {
    const world = await bankWorld(db(), config, 1);
    const invoice = world.invoices[0]!;
    const report = await importOk(world, bgmaxFile({
      bankgiro: BANKGIRO, date: "2026-03-20",
      payments: [{ refs: [invoice.ocr], amount: TOTAL, serial: 1 }, { refs: [invoice.ocr], amount: TOTAL, serial: 2 }],
    }));
    expect(report.booked).toBe(2);
    expect(report.flags.duplicate.map((flag) => flag.position)).toEqual(["line 4"]);
    expect(report.flags.overpaid.map((flag) => flag.position)).toEqual(["line 4"]);
  });

  it("reports a deduction (TK21) without booking it", async () => {
    const world = await bankWorld(db(), config, 2);
    const [paid, credited] = world.invoices;
    const report = await importOk(world, bgmaxFile({
      bankgiro: BANKGIRO, date: "2026-03-20",
      payments: [{ refs: [paid!.ocr], amount: TOTAL, serial: 1 }, { refs: [credited!.ocr], amount: 50_000, serial: 2, deduction: true }],
    }));
    expect(report).toMatchObject({ payments: 2, booked: 1 });
    expect(report.items[1]).toMatchObject({ kind: "deduction", amount: -50_000, outcome: "deduction", invoices: [{ id: credited!.id, amount: 0, payment_id: null }] });
    expect(report.flags.deduction).toEqual([expect.objectContaining({ amount: -50_000, invoice_id: credited!.id, invoice_number: credited!.number })]);
    expect(await paymentsOn(credited!.id)).toEqual([]);
  });

  it("flags a cancelled invoice and another currency, booking neither", async () => {
    const world = await bankWorld(db(), config, 2);
    const [cancelled, euro] = world.invoices;
    await db().update(invoices).set({ cancelledAt: NOW }).where(eq(invoices.id, cancelled!.id));
    await db().update(invoices).set({ currency: "EUR" }).where(eq(invoices.id, euro!.id));
    const report = await importOk(world, bgmaxFile({
      bankgiro: BANKGIRO, date: "2026-03-20",
      payments: [{ refs: [cancelled!.ocr], amount: TOTAL, serial: 1 }, { refs: [euro!.ocr], amount: TOTAL, serial: 2 }],
    }));
    expect(report.booked).toBe(0);
    expect(report.items.map((item) => item.outcome)).toEqual(["cancelled", "currency"]);
    expect(report.flags.cancelled).toEqual([expect.objectContaining({ invoice_id: cancelled!.id })]);
    expect(report.flags.currency).toEqual([expect.objectContaining({ invoice_id: euro!.id, message: `Paid in SEK, invoice ${euro!.number} is in EUR; not booked.` })]);
    expect(await paymentCount(world.supplier.id)).toBe(0);
  });

  it("matches an OCR stored with leading zeros (BgMax right-aligns and drops them)", async () => {
    const world = await bankWorld(db(), config, 1);
    const invoice = world.invoices[0]!;
    await db().update(invoices).set({ ocr: `00${invoice.ocr}` }).where(eq(invoices.id, invoice.id));
    const report = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [`00${invoice.ocr}`], amount: TOTAL, serial: 1 }] }));
    expect(report.items[0]).toMatchObject({ references: [invoice.ocr], outcome: "booked", invoices: [{ id: invoice.id, amount: TOTAL }] });
  });
});

describe("one payment for several invoices (P5)", () => {
  it("splits exactly: each invoice up to its amount due in the payer's order, the rest on the last", async () => {
    const world = await bankWorld(db(), config, 3);
    const [a, b, c] = world.invoices;
    await db().update(invoices).set({ total: 100_001 }).where(eq(invoices.id, b!.id));
    // a gets all it is due, b all of its 100 001, c the remaining 1 öre short of a full payment: 1 229 699.
    const amount = TOTAL + 100_001 + TOTAL - 1;
    const report = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [a!.ocr, b!.ocr, c!.ocr], amount, serial: 9 }] }));
    expect(report.items[0]).toMatchObject({ outcome: "booked", references: [a!.ocr, b!.ocr, c!.ocr] });
    expect(report.items[0]!.invoices.map((part) => [part.id, part.amount])).toEqual([[a!.id, TOTAL], [b!.id, 100_001], [c!.id, TOTAL - 1]]);
    expect(report.amount_booked).toEqual({ SEK: amount });
    expect(report.flags.underpaid).toEqual([expect.objectContaining({ invoice_id: c!.id, message: `Invoice ${c!.number}: 0.01 SEK still due.` })]);
    const references = (await Promise.all([a, b, c].map((invoice) => paymentsOn(invoice!.id)))).map((rows) => rows.map((row) => [row.providerReference, row.amount]));
    expect(references).toEqual([
      [["bank:50501055:2026-03-20:000000000009#1", TOTAL]],
      [["bank:50501055:2026-03-20:000000000009#2", 100_001]],
      [["bank:50501055:2026-03-20:000000000009#3", TOTAL - 1]],
    ]);
    // Re-importing a split recognises all its parts.
    const again = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [a!.ocr, b!.ocr, c!.ocr], amount, serial: 9 }] }));
    expect(again).toMatchObject({ booked: 0, already_imported: 1 });
    expect(again.items[0]!.invoices.map((part) => part.amount)).toEqual([TOTAL, 100_001, TOTAL - 1]);
  });

  it("puts an over-payment on the last invoice and flags it", async () => {
    const world = await bankWorld(db(), config, 2);
    const [a, b] = world.invoices;
    const report = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [a!.ocr, b!.ocr], amount: 2 * TOTAL + 37, serial: 3 }] }));
    expect(report.items[0]!.invoices.map((part) => part.amount)).toEqual([TOTAL, TOTAL + 37]);
    expect(report.flags.overpaid).toEqual([expect.objectContaining({ invoice_id: b!.id, message: `Invoice ${b!.number} is overpaid by 0.37 SEK.` })]);
  });

  it("books the invoices it finds and flags the reference it does not", async () => {
    const world = await bankWorld(db(), config, 1);
    const [a] = world.invoices;
    const report = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [a!.ocr, "123455"], amount: TOTAL + 500, serial: 4 }] }));
    expect(report.items[0]).toMatchObject({ outcome: "booked", flags: ["unmatched", "overpaid"] });
    expect(report.flags.unmatched).toEqual([expect.objectContaining({ reference: "123455" })]);
  });
});

describe("files that are not booked (D2): 422, nothing written", () => {
  it("refuses a BgMax test file unless it is a dry run", async () => {
    const world = await bankWorld(db(), config, 1);
    const file = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", test: true, payments: [{ refs: [world.invoices[0]!.ocr], amount: TOTAL, serial: 1 }] });
    const before = await ledgerSnapshot(db());
    const problem = await importFailing(world, file);
    expect(problem).toMatchObject({ status: 422, errors: [{ field: "file", message: expect.stringContaining("test file") }] });
    expect(await ledgerSnapshot(db())).toEqual(before);
    const dry = await importOk(world, file, { dryRun: true });
    expect(dry).toMatchObject({ test: true, dry_run: true, booked: 1 });
    expect(await ledgerSnapshot(db())).toEqual(before);
  });

  it("refuses another account's file, naming both accounts", async () => {
    const world = await bankWorld(db(), config, 1);
    const before = await ledgerSnapshot(db());
    const problem = await importFailing(world, bgmaxFile({ bankgiro: "991-2346", date: "2026-03-20", payments: [{ refs: [world.invoices[0]!.ocr], amount: TOTAL, serial: 1 }] }));
    expect(problem).toMatchObject({
      status: 422,
      errors: [{ field: "account", message: "the file is for bankgiro 9912346, not this supplier's account (bankgiro 5050-1055)" }],
    });
    expect(await ledgerSnapshot(db())).toEqual(before);
  });

  it("refuses a broken file naming the line, and a file of another kind", async () => {
    const world = await bankWorld(db(), config, 1);
    const good = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [world.invoices[0]!.ocr], amount: TOTAL, serial: 1 }] }).toString("latin1");
    // The deposit's amount no longer adds up: the whole file is refused, the good payment too.
    const broken = good.replace(/SEK00000001 /, "SEK00000002 ");
    const before = await ledgerSnapshot(db());
    const problem = await importFailing(world, Buffer.from(broken, "latin1"));
    expect(problem.status).toBe(422);
    expect(problem.errors).toEqual([{ field: "line 4", message: expect.stringContaining("TK15 number of payments is 2") }]);
    expect(await importFailing(world, Buffer.from("number;amount\n1;2\n"))).toMatchObject({ status: 422, errors: [{ field: "file", message: "not a BgMax or camt.054 file" }] });
    expect(await importFailing(world, Buffer.from("<Document><Nothing/></Document>"))).toMatchObject({ status: 422, errors: [{ field: "file" }] });
    expect(await ledgerSnapshot(db())).toEqual(before);
  });

  it("rolls the whole file back when booking fails halfway", async () => {
    const world = await bankWorld(db(), config, 2);
    const file: BankFile = {
      format: "bgmax", account: { bankgiro: "50501055", iban: null }, createdAt: null, test: false,
      payments: world.invoices.map((invoice, index): BankPayment => ({
        transactionId: `tx-${index}`, kind: "payment", amount: TOTAL, currency: "SEK", date: "2026-03-20", references: [invoice.ocr],
        referenceChecked: true, shares: null, deductions: [], warnings: [], freeText: null, payerName: null, payerOrgNumber: null, position: `line ${index + 3}`,
      })),
    };
    const before = await ledgerSnapshot(db());
    await expect(
      db().transaction(async (tx) => {
        const booked = await bookBankFile(tx, { supplierId: world.supplier.id, file, now: NOW });
        expect(booked.booked).toBe(2);
        throw new Error("the server went away");
      }),
    ).rejects.toThrow("the server went away");
    expect(await ledgerSnapshot(db())).toEqual(before);
  });
});

describe("a run that dies halfway", () => {
  it("is resumed after its last committed batch: every payment booked once, one audit event, the whole report", async () => {
    const world = await bankWorld(db(), config, 5);
    const file = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: world.invoices.map((invoice, index) => ({ refs: [invoice.ocr], amount: TOTAL, serial: 1 + index })) });
    const started = await startBankFileImport(db(), { supplierId: world.supplier.id, bytes: file, actor: OPERATOR });
    if (!started.ok) throw new Error(JSON.stringify(started.problem));
    const id = started.body.id;
    const dying: RunOptions = {
      batchSize: 2,
      afterBatch: (committed) => {
        if (committed === 2) throw new Error("worker killed");
      },
    };
    await expect(runImport(services(), id, dying)).rejects.toThrow("worker killed");
    expect(await getImport(db(), world.supplier.id, id)).toMatchObject({ state: "running", processed: 4, total: 5 });
    expect(await paymentCount(world.supplier.id)).toBe(4);

    await runImport(services(), id, { batchSize: 2 });
    const done = (await getImport(db(), world.supplier.id, id))!;
    expect(done).toMatchObject({ state: "succeeded", processed: 5, total: 5, attempts: 2 });
    expect(done.report).toMatchObject({ payments: 5, booked: 5, already_imported: 0, amount_booked: { SEK: 5 * TOTAL } });
    expect(await paymentCount(world.supplier.id)).toBe(5);
    for (const invoice of world.invoices) expect(await paymentsOn(invoice.id)).toHaveLength(1);
    const audit = await db().select().from(events).where(and(eq(events.supplierId, world.supplier.id), eq(events.type, "bank_file.imported")));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ payments: 5, booked: 5 });
  });
});

describe("dry run", () => {
  it("answers the report a real import would, and keeps nothing", async () => {
    const world = await bankWorld(db(), config, 2);
    const [a, b] = world.invoices;
    const file = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [a!.ocr], amount: TOTAL, serial: 1 }, { refs: [b!.ocr], amount: 1000, serial: 2 }] });
    const before = await ledgerSnapshot(db());
    const dry = await importOk(world, file, { dryRun: true });
    expect(await ledgerSnapshot(db())).toEqual(before);
    const real = await importOk(world, file);
    const strip = (report: BankFileReport) => ({ ...report, dry_run: null, items: report.items.map((item) => ({ ...item, invoices: item.invoices.map((part) => ({ ...part, payment_id: null })) })) });
    expect(strip(dry)).toEqual(strip(real));
    expect(real).toMatchObject({ dry_run: false, booked: 2 });
  });
});

describe("npm run cli -- payments:import-bank-file", CLI_TIMEOUT, () => {
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url(), CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS, LINK_SIGNING_KEYS: TEST_LINK_KEYS });

  it("prints the summary and the flags, books once, and exits 1 on a refused file", async () => {
    const world = await bankWorld(db(), config, 2);
    const [a, b] = world.invoices;
    const folder = mkdtempSync(path.join(tmpdir(), "bank-cli-"));
    const file = path.join(folder, "bgmax-2026-03-20.txt");
    writeFileSync(file, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [a!.ocr], amount: TOTAL, serial: 1 }, { refs: [b!.ocr], amount: 100_000, serial: 2 }, { refs: ["123455"], amount: 500, serial: 3 }] }));

    const dry = await cli(["payments:import-bank-file", file, "--supplier", world.supplier.id, "--dry-run"]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("(dry run: nothing was booked)");
    expect(await paymentCount(world.supplier.id)).toBe(0);

    const run = await cli(["payments:import-bank-file", file, "--supplier", world.supplier.id]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`${file}: BgMax for bankgiro 50501055`);
    expect(lines).toEqual(expect.arrayContaining([
      "  payments               3  in the file",
      "  booked                 2  13297.00 SEK",
      "  already imported       0",
      "  unmatched              1",
      "  underpaid              1",
      `  unmatched   line 5                  -             123455: no invoice has this OCR reference`,
      `  underpaid   line 4                  ${b!.number.padEnd(12)}  Invoice ${b!.number}: 11297.00 SEK still due.`,
    ]));
    expect(await paymentCount(world.supplier.id)).toBe(2);

    const again = await cli(["payments:import-bank-file", file, "--supplier", world.supplier.id, "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ booked: 0, already_imported: 2 });
    expect(await paymentCount(world.supplier.id)).toBe(2);

    const other = path.join(folder, "other.txt");
    writeFileSync(other, bgmaxFile({ bankgiro: "991-2346", date: "2026-03-20", payments: [{ refs: [a!.ocr], amount: 1, serial: 1 }] }));
    const refused = await cli(["payments:import-bank-file", other, "--supplier", world.supplier.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: account: the file is for bankgiro 9912346, not this supplier's account (bankgiro 5050-1055)");
    expect(refused.stderr).toContain("Nothing was booked.");

    const usage = await cli(["payments:import-bank-file", file]);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain("needs --supplier");
  });
});
