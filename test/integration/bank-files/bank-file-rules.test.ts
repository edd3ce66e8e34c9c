// The booking rules real bank files need (payment-formats.md §5a′, security P8 and P10): money lands
// only on the invoices a payment really pays, in the parts the payer gave; deducted references are
// never paid; a guess from the payer's text counts only for an open invoice named exactly; no
// transaction of a file is mistaken for another; display-only fields never refuse a file.
import { describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { invoices, payments } from "../../../db/schema";
import type { BankFileReport } from "~/features/bank-files/bank-file-import.server";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { ledgerSnapshot } from "../payments/payments-test-helpers";
import { BANKGIRO, bankWorld, bgmaxFile, camtFile, IBAN, importBankFileNow, type BankWorld } from "./bank-file-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;

const TOTAL = 1_229_700;
const NOW = new Date("2026-03-21T09:00:00Z");
const services = () => ({ ...testContext(database.get(), config).app, now: () => NOW });

async function importOk(world: BankWorld, bytes: Uint8Array): Promise<BankFileReport> {
  const result = await importBankFileNow(services(), { supplierId: world.supplier.id, bytes });
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  return result.body;
}

const paidOn = async (invoiceId: string) => (await db().select({ amountPaid: invoices.amountPaid }).from(invoices).where(eq(invoices.id, invoiceId)))[0]!.amountPaid;
const paymentCount = async (supplierId: string) => (await db().select({ n: count() }).from(payments).where(eq(payments.supplierId, supplierId)))[0]!.n;

async function ibanWorld(invoiceCount: number): Promise<BankWorld> {
  const world = await bankWorld(db(), config, invoiceCount);
  await db().execute(`update suppliers set iban = '${IBAN}' where id = '${world.supplier.id}'`);
  return world;
}

describe("BgMax TK22 shares and TK23 deductions", () => {
  it("splits by the TK22 amounts when they add up, not by the payer's order", async () => {
    const world = await bankWorld(db(), config, 2);
    const [a, b] = world.invoices;
    const report = await importOk(world, bgmaxFile({
      bankgiro: BANKGIRO, date: "2026-03-20",
      payments: [{ refs: [], amount: TOTAL, serial: 1, extra: [{ type: "22", ref: a!.ocr, amount: 200_000 }, { type: "22", ref: b!.ocr, amount: TOTAL - 200_000 }] }],
    }));
    expect(report.items[0]!.invoices.map((part) => [part.id, part.amount])).toEqual([[a!.id, 200_000], [b!.id, TOTAL - 200_000]]);
    expect([await paidOn(a!.id), await paidOn(b!.id)]).toEqual([200_000, TOTAL - 200_000]);
  });

  it("never pays the invoice a TK23 names: it is flagged as deducted, the money goes to the TK22's", async () => {
    const world = await bankWorld(db(), config, 2);
    const [paid, deducted] = world.invoices;
    const amount = TOTAL - 300_000;
    const report = await importOk(world, bgmaxFile({
      bankgiro: BANKGIRO, date: "2026-03-20",
      payments: [{ refs: [], amount, serial: 2, extra: [{ type: "22", ref: paid!.ocr, amount: TOTAL }, { type: "23", ref: deducted!.ocr, amount: 300_000 }] }],
    }));
    expect(report.items[0]).toMatchObject({ outcome: "booked", references: [paid!.ocr], deductions: [deducted!.ocr], invoices: [{ id: paid!.id, amount }] });
    expect(report.items[0]!.warnings).toEqual([expect.stringContaining("do not add up")]);
    expect(report.flags.deduction).toEqual([expect.objectContaining({ reference: deducted!.ocr, invoice_id: deducted!.id, message: expect.stringContaining("3000.00 SEK") })]);
    expect(await paidOn(deducted!.id)).toBe(0);
    expect(await paidOn(paid!.id)).toBe(amount);
  });
});

describe("camt.054 credit notes and remittance amounts", () => {
  const strd = (ref: string, amount: { paid?: string; credited?: string; type?: string }) =>
    `<Strd>${amount.type ? `<RfrdDocInf><Tp><CdOrPrtry><Cd>${amount.type}</Cd></CdOrPrtry></Tp></RfrdDocInf>` : ""}<RfrdDocAmt>${
      amount.paid ? `<RmtdAmt Ccy="SEK">${amount.paid}</RmtdAmt>` : ""}${amount.credited ? `<CdtNoteAmt Ccy="SEK">${amount.credited}</CdtNoteAmt>` : ""
    }</RfrdDocAmt><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd>`;

  it("does not pay a credit note's reference, and books each reference's RmtdAmt", async () => {
    const world = await ibanWorld(3);
    const [a, b, credited] = world.invoices;
    const report = await importOk(world, camtFile({
      iban: IBAN, date: "2026-03-20",
      payments: [{
        ref: null, amount: "1000.00", currency: "SEK", id: "CN-1",
        structured: strd(a!.ocr, { paid: "400.00" }) + strd(b!.ocr, { paid: "900.00" }) + strd(credited!.ocr, { type: "CREN", credited: "300.00" }),
      }, {
        ref: null, amount: "2000.00", currency: "SEK", id: "CN-2",
        structured: strd(a!.ocr, { paid: "500.00" }) + strd(b!.ocr, { paid: "1500.00" }),
      }],
    }));
    // 400 + 900 is not the 1000 paid (the credit note took 300 off): the payer's order, then the file's own parts.
    expect(report.items.map((item) => item.invoices.map((part) => [part.id, part.amount]))).toEqual([
      [[a!.id, 100_000], [b!.id, 0]],
      [[a!.id, 50_000], [b!.id, 150_000]],
    ]);
    expect(report.items[0]!.deductions).toEqual([credited!.ocr]);
    expect(report.flags.deduction).toEqual([expect.objectContaining({ invoice_id: credited!.id, transaction_id: "CN-1" })]);
    expect(await paidOn(credited!.id)).toBe(0);
  });
});

describe("camt.054 transactions that repeat the bank's reference (P8)", () => {
  it("books every transaction of an entry that repeats its AcctSvcrRef, and none of them again on a re-import", async () => {
    const world = await ibanWorld(3);
    const transactions = world.invoices.map((invoice) => `
      <TxDtls><Refs><AcctSvcrRef>SAME-REF</AcctSvcrRef></Refs>
        <AmtDtls><TxAmt><Amt Ccy="SEK">12297.00</Amt></TxAmt></AmtDtls>
        <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${invoice.ocr}</Ref></CdtrRefInf></Strd></RmtInf>
      </TxDtls>`).join("");
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>M</MsgId><CreDtTm>2026-03-20T07:00:00</CreDtTm></GrpHdr>
  <Ntfctn><Id>N</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id></Acct>
    <Ntry><Amt Ccy="SEK">36891.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-20</Dt></BookgDt>
      <AcctSvcrRef>SAME-REF</AcctSvcrRef><NtryDtls>${transactions}</NtryDtls></Ntry>
  </Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const first = await importOk(world, Buffer.from(xml));
    expect(first).toMatchObject({ booked: 3, already_imported: 0 });
    expect(first.items.map((item) => item.transaction_id)).toEqual(["SAME-REF:1", "SAME-REF:2", "SAME-REF:3"]);
    const again = await importOk(world, Buffer.from(xml));
    expect(again).toMatchObject({ booked: 0, already_imported: 3 });
    expect(await paymentCount(world.supplier.id)).toBe(3);
  });
});

describe("references guessed from the payer's text (security P10)", () => {
  it("books on an open invoice named exactly, never on a customer number, an amount or a paid invoice", async () => {
    const world = await ibanWorld(4);
    const [open, paid, customer, amount] = world.invoices;
    await db().update(invoices).set({ amountPaid: TOTAL, paidAt: NOW }).where(eq(invoices.id, paid!.id));
    const report = await importOk(world, camtFile({
      iban: IBAN, date: "2026-03-20",
      payments: [
        { ref: null, amount: "100.00", currency: "SEK", id: "G-1", freeText: `Faktura ${open!.ocr}` },
        { ref: null, amount: "100.00", currency: "SEK", id: "G-2", freeText: `Faktura ${paid!.ocr}` },
        { ref: null, amount: "100.00", currency: "SEK", id: "G-3", freeText: `Kundnr ${customer!.ocr}` },
        { ref: null, amount: "100.00", currency: "SEK", id: "G-4", freeText: `Belopp ${amount!.ocr},00 kr` },
      ],
    }));
    expect(report.items.map((item) => item.outcome)).toEqual(["booked", "unmatched", "unmatched", "unmatched"]);
    expect(report.items[0]!.invoices).toEqual([expect.objectContaining({ id: open!.id, amount: 10_000 })]);
    expect(report.flags.unmatched.find((flag) => flag.transaction_id === "G-2")!.message).toContain("is not open");
    expect([await paidOn(customer!.id), await paidOn(amount!.id)]).toEqual([0, 0]);
  });

  it("reads an OCR from a BgMax code-3 reference", async () => {
    const world = await bankWorld(db(), config, 1);
    const [invoice] = world.invoices;
    const report = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [], text: `Fakt ${invoice!.ocr}`, amount: TOTAL, serial: 3 }] }));
    expect(report.items[0]).toMatchObject({ outcome: "booked", reference_checked: false, references: [invoice!.ocr] });
  });
});

describe("display-only fields and accounts", () => {
  it("books a payment whose payer bankgiro is malformed, with a warning on it", async () => {
    const world = await bankWorld(db(), config, 1);
    const [invoice] = world.invoices;
    const report = await importOk(world, bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [invoice!.ocr], payerBankgiro: "12-34 ABC ", amount: TOTAL, serial: 4 }] }));
    expect(report.items[0]).toMatchObject({ outcome: "booked", warnings: [expect.stringContaining("payer bankgiro (positions 3–12) is not digits")] });
  });

  it("does not take an account number without the BGNR scheme for the supplier's bankgiro", async () => {
    const world = await bankWorld(db(), config, 1);
    const xml = camtFile({ iban: IBAN, date: "2026-03-20", payments: [{ ref: world.invoices[0]!.ocr, amount: "12297.00", currency: "SEK", id: "A-1" }] })
      .toString("utf8")
      .replace(`<IBAN>${IBAN}</IBAN>`, `<Othr><Id>${BANKGIRO}</Id></Othr>`);
    const before = await ledgerSnapshot(db());
    const result = await importBankFileNow(services(), { supplierId: world.supplier.id, bytes: Buffer.from(xml) });
    expect(result.ok ? null : result.problem).toMatchObject({ status: 422, errors: [{ field: "notification", message: expect.stringContaining("without a scheme") }] });
    expect(await ledgerSnapshot(db())).toEqual(before);
  });
});

describe("a bank id reused for another payment (P8)", () => {
  it("is not taken for a re-import: flagged, not dropped as already imported", async () => {
    const world = await ibanWorld(2);
    const [a, b] = world.invoices;
    await importOk(world, camtFile({ iban: IBAN, date: "2026-03-20", payments: [{ ref: a!.ocr, amount: "12297.00", currency: "SEK", id: "REUSED" }] }));
    const later = await importOk(world, camtFile({ iban: IBAN, date: "2026-03-23", payments: [{ ref: b!.ocr, amount: "500.00", currency: "SEK", id: "REUSED" }] }));
    expect(later).toMatchObject({ booked: 0, already_imported: 0, items: [{ outcome: "not_booked" }] });
    expect(later.flags.unmatched).toEqual([expect.objectContaining({ message: expect.stringMatching(/REUSED was booked before for 12297\.00 SEK; this is another payment of 500\.00 SEK/) })]);
  });
});
