// Bank files as the banks write them, for the bank-file import tests: BgMax (fixed-width records
// of 80 characters, ISO 8859-1) and camt.054 (ISO 20022 XML), built from a few fields, plus a
// supplier with invoices whose references are known.
import { eq } from "drizzle-orm";
import { invoices } from "../../../db/schema";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import type { AppServices } from "~/platform/context";
import type { ProblemBody } from "~/api/problem.server";
import { startBankFileImport, type BankFileReport } from "~/features/bank-files/bank-file-import.server";
import { getImport, runImport, type RunOptions } from "~/platform/imports/imports.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import { payerFixture, type PayerFixture } from "../portal/payer-helpers";

export type BgMaxPayment = {
  /** OCR references: one is a TK20 with code 2; several a TK20 with code 3 (free text) and a TK22 each. */
  refs: string[];
  /** Öre. */
  amount: number;
  serial: number;
  deduction?: boolean;
  payerName?: string;
  /** TK22 (paid, with its share) and TK23 (deducted) records as the manual lays them out; refs then go in the TK20 as free text. */
  extra?: { type: "22" | "23"; ref: string; amount: number }[];
  /** The TK20's reference field as free text (code 3), for a payment without checked references. */
  text?: string;
  /** Positions 3–12 of the TK20 (display only). */
  payerBankgiro?: string;
};

const pad = (record: string) => record.padEnd(80, " ");
const num = (value: number | string, width: number) => String(value).padStart(width, "0");

function paymentRecords(payment: BgMaxPayment): string[] {
  const type = payment.deduction ? "21" : "20";
  const single = payment.refs.length === 1 && !payment.extra;
  const mainRef = payment.text ?? (single ? payment.refs[0]! : payment.refs.join(" "));
  const code = payment.text !== undefined ? "3" : payment.refs.length === 0 ? "0" : single ? "2" : "3";
  const payer = payment.payerBankgiro ?? num(0, 10);
  const records = [
    pad(`${type}${payer}${(payment.text !== undefined ? mainRef.padEnd(25, " ") : mainRef.padStart(25, " "))}${num(payment.amount, 18)}${code}1${num(payment.serial, 12)}0${payment.deduction ? "0" : ""}`),
  ];
  for (const extra of payment.extra ?? []) {
    records.push(pad(`${extra.type}${num(0, 10)}${extra.ref.padStart(25, " ")}${num(extra.amount, 18)}21${num(payment.serial, 12)}0`));
  }
  if (!single && !payment.extra) {
    for (const [index, ref] of payment.refs.entries()) {
      records.push(pad(`22${num(0, 10)}${ref.padStart(25, " ")}${num(0, 18)}21${num(payment.serial * 100 + index + 1, 12)}0`));
    }
  }
  if (payment.payerName) records.push(pad(`26${payment.payerName.padEnd(35, " ")}`));
  return records;
}

/** One deposit section for `bankgiro` on `date` (YYYY-MM-DD); the counts and sums add up. */
export function bgmaxFile(options: { bankgiro: string; date: string; payments: BgMaxPayment[]; test?: boolean }): Buffer {
  const digits = options.bankgiro.replace(/\D/g, "");
  const { payments } = options;
  const deposit = payments.reduce((sum, p) => sum + (p.deduction ? -p.amount : p.amount), 0);
  const extraRefs = payments.reduce((sum, p) => sum + (p.extra ? p.extra.length : p.refs.length > 1 ? p.refs.length : 0), 0);
  const lines = [
    pad(`01${"BGMAX".padEnd(20, " ")}01${options.date.replace(/-/g, "")}080000000000${options.test ? "T" : "P"}`),
    pad(`05${num(digits, 10)}${" ".repeat(10)}SEK`),
    ...payments.flatMap(paymentRecords),
    pad(`15${num("990012345678", 35)}${options.date.replace(/-/g, "")}${num(1, 5)}${num(deposit, 18)}SEK${num(payments.length, 8)} `),
    pad(`70${num(payments.filter((p) => !p.deduction).length, 8)}${num(payments.filter((p) => p.deduction).length, 8)}${num(extraRefs, 8)}${num(1, 8)}`),
  ];
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1");
}

export type CamtPayment = {
  ref: string | null;
  amount: string;
  currency: string;
  id: string;
  freeText?: string;
  /** RmtInf/Strd blocks written out, in place of the one built from `ref`. */
  structured?: string;
};

/** A camt.054.001.02 notification of booked credits to `iban`, one transaction per entry. */
export function camtFile(options: { iban: string; date: string; payments: CamtPayment[] }): Buffer {
  const entries = options.payments.map((p) => `
    <Ntry>
      <Amt Ccy="${p.currency}">${p.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
      <BookgDt><Dt>${options.date}</Dt></BookgDt><ValDt><Dt>${options.date}</Dt></ValDt>
      <AcctSvcrRef>${p.id}</AcctSvcrRef>
      <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
      <NtryDtls><TxDtls>
        <Refs><AcctSvcrRef>${p.id}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
        <AmtDtls><TxAmt><Amt Ccy="${p.currency}">${p.amount}</Amt></TxAmt></AmtDtls>
        <RltdPties><Dbtr><Nm>Fjällbacka Bygg AB</Nm></Dbtr></RltdPties>
        <RmtInf>${p.structured ?? ""}${p.ref ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${p.ref}</Ref></CdtrRefInf></Strd>` : ""}${
          p.freeText ? `<Ustrd>${p.freeText}</Ustrd>` : ""}</RmtInf>
      </TxDtls></NtryDtls>
    </Ntry>`).join("");
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>MSG-${options.date}</MsgId><CreDtTm>${options.date}T07:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-1</Id><CreDtTm>${options.date}T07:00:00</CreDtTm>
      <Acct><Id><IBAN>${options.iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${entries}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`, "utf8");
}

/** The fixtures' bankgiro (test/support/fixtures.ts) and a valid Swedish IBAN for camt.054 files. */
export const BANKGIRO = "5050-1055";
export const IBAN = "SE4550000000058398257466";

export type BankWorld = PayerFixture & {
  /** The supplier's invoices (12 297.00 SEK each unless changed), with their OCR references. */
  invoices: { id: string; number: string; ocr: string; total: number }[];
  /** Each invoice's portal token, by invoice id (a payer's "I have paid" goes through its page). */
  tokens: Record<string, string>;
};

/** A supplier with a billing contact and `count` open invoices. */
export async function bankWorld(db: Db, config: Config, count = 3): Promise<BankWorld> {
  const fixture = await payerFixture(db, config);
  const ids = [fixture.invoice.id];
  const tokens: Record<string, string> = { [fixture.invoice.id]: fixture.token };
  for (let index = 1; index < count; index++) {
    const another = await fixture.another();
    ids.push(another.invoice.id);
    tokens[another.invoice.id] = another.token;
  }
  const rows = [];
  for (const id of ids) {
    const [row] = await db.select({ id: invoices.id, number: invoices.number, ocr: invoices.ocr, total: invoices.total }).from(invoices).where(eq(invoices.id, id));
    rows.push(row!);
  }
  return { ...fixture, invoices: rows, tokens };
}

export type ImportOutcome = { ok: true; body: BankFileReport } | { ok: false; problem: ProblemBody };

/** Uploads a bank file as the API and the CLI do, runs its import job to the end, and answers its report or its problem. */
export async function importBankFileNow(
  services: AppServices,
  params: { supplierId: string; bytes: Uint8Array; dryRun?: boolean },
  run: RunOptions = {},
): Promise<ImportOutcome> {
  const started = await startBankFileImport(services.db, { ...params, actor: OPERATOR });
  if (!started.ok) return { ok: false, problem: started.problem };
  await runImport(services, started.body.id, run);
  const done = (await getImport(services.db, params.supplierId, started.body.id))!;
  return done.state === "succeeded" ? { ok: true, body: done.report as BankFileReport } : { ok: false, problem: done.problem as ProblemBody };
}
