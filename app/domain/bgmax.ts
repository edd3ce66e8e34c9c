// BgMax, Bankgirot's reconciliation file for incoming bankgiro payments (payment-formats.md §5a),
// read into the common BankFile shape. Pure: the import service hands in the uploaded bytes.
//
// The file is fixed-width: `01` start, then one section per deposit (`05` opening, payment groups,
// `15` deposit), then `70` end. A payment group is a `20` payment or `21` deduction followed by its
// `22`/`23` extra references, `25` texts, `26` name, `27`/`28` address and `29` org number.
// Every problem with what is booked (amounts, references, dates, sums) is reported with its line,
// and one makes the whole file fail (security D2): booking half a deposit would leave the ledger
// disagreeing with the bank statement. Fields that are only shown (the payer's bankgiro, org
// number, name, address) never fail a file: a bad one is a warning on its payment. Record types
// the reader does not know are skipped, as the manual asks (payment-formats.md §5a′).
import {
  BANK_FILE_LIMITS, cappedErrors, sizeError, type BankFileError, type BankFileLimits, type BankFileResult, type BankPayment,
} from "./bank-file";
import { referencesInFreeText } from "./free-text-references";
import { instantOfWallTime } from "./time-zone";

const RECORD_LENGTH = 80;
const CURRENCIES = new Set(["SEK", "EUR"]);
/** Reference codes (position 56) for which Bankgirot checked the reference against the OCR agreement. */
const CHECKED_CODES = new Set(["2", "4"]);
/** TK01's timestamp is taken as Swedish local time: Bankgirot is Swedish and the manual names no zone (UNCONFIRMED). */
const BANKGIROT_TIME_ZONE = "Europe/Stockholm";
/** A deposit dated further from the file's TK01 timestamp than this cannot be right. */
const MAX_DATE_DISTANCE_DAYS = 366;
/** Records that are only shown: a malformed one is a warning, never an error. */
const DISPLAY_ONLY = new Set(["25", "26", "27", "28", "29"]);

type Line = { number: number; text: string };

type Group = {
  line: number;
  kind: BankPayment["kind"];
  amount: number;
  serial: string;
  /** Checked references (code 2/4), with their TK22 amount when filled; the TK20's own has none. */
  references: { reference: string; share: number | null }[];
  deductions: { reference: string; amount: number | null }[];
  freeText: string[];
  /** Text a reference may be guessed from: a code-3 reference field, TK25 information. */
  guessText: string[];
  payerName: string | null;
  payerAccount: string | null;
  payerOrgNumber: string | null;
  warnings: string[];
};

type Section = {
  line: number;
  currency: string;
  groups: Group[];
  /** Groups handed out before the TK15 (a streamed read, see ReadOptions). */
  flushed: number;
  paymentsOre: bigint;
  deductionsOre: bigint;
  /** False once an amount in the section was unreadable: its sum check would only repeat that error. */
  amountsReadable: boolean;
};

/** Positions are 1-based and inclusive, as the manual prints them; short lines were padded. */
const slice = (line: Line, from: number, to: number) => line.text.slice(from - 1, to);

const recordType = (line: Line) => line.text.slice(0, 2);

const positions = (from: number, to: number) => (from === to ? `position ${from}` : `positions ${from}–${to}`);

/** The whole file at once: its payments and account, or every error. */
export function parseBgMax(bytes: Uint8Array, limits: BankFileLimits = BANK_FILE_LIMITS): BankFileResult {
  const payments: BankPayment[] = [];
  const reading = readBgMax(bytes, limits);
  for (let next = reading.next(); ; next = reading.next()) {
    if (next.done) return next.value.ok ? { ok: true, file: { ...next.value.file, payments } } : next.value;
    payments.push(next.value);
  }
}

/**
 * How a read that runs twice (check, then book) keeps no section in memory. The payment date is
 * only in a section's TK15 record, at its end, so a plain read holds a section's payments until
 * then (a bank may send 100,000 in one deposit). The checking read passes an empty map: the reader
 * notes each section's TK15 date in it (by the TK05's line) and hands payments out as soon as their
 * group ends, with no date — they are only counted. The second read passes the filled map and
 * gets each payment, dated, as soon as the next TK20/TK21 shows its group is complete.
 */
export type ReadOptions = { sectionDates?: Map<number, string> };

/**
 * Reads the file record by record, yielding each section's payments as its TK15 deposit record
 * closes it (the payment date is only there), and returns the result without payments: what is
 * held at any time is one section, never the file's payments (with ReadOptions, one payment). The
 * result comes at the end, so a caller that must not act on a bad file reads it once to check
 * it, then again to use it.
 */
export function* readBgMax(bytes: Uint8Array, limits: BankFileLimits = BANK_FILE_LIMITS, options: ReadOptions = {}): Generator<BankPayment, BankFileResult, undefined> {
  const tooLarge = sizeError(bytes, limits);
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  const lines = records(decode(bytes));
  const first = lines.next();
  if (first.done || recordType(first.value) !== "01" || slice(first.value, 3, 22).trim() !== "BGMAX") {
    return {
      ok: false,
      errors: [{ position: `line ${first.done ? 1 : first.value.number}`, message: "Not a BgMax file: the first record must be a TK01 start record with layout name BGMAX" }],
    };
  }
  return yield* new BgMaxReader(limits, options.sectionDates).read(first.value, lines);
}

class BgMaxReader {
  private errors: BankFileError[] = [];
  private createdAt: string | null = null;
  private test = false;
  private bankgiro: { digits: string; line: number } | null = null;
  private section: Section | null = null;
  /** The payment group later records belong to; "orphan" when its TK20/21 was refused (no follow-up noise). */
  private group: Group | "orphan" | null = null;
  /** Payments of the section just closed, handed out before the next record is read. */
  private ready: BankPayment[] = [];
  private seenIds = new Map<string, number>();
  private counts = { tk20: 0, tk21: 0, tk22and23: 0, tk15: 0 };
  private endLine: number | null = null;

  constructor(
    private readonly limits: BankFileLimits,
    private readonly sectionDates?: Map<number, string>,
  ) {}

  /**
   * A streamed read (sectionDates given): the section's complete groups go out now, dated when
   * the checking read noted the date, undated (to be counted only) while it is that read.
   */
  private flushGroups(section: Section) {
    if (!this.sectionDates || section.groups.length === 0 || !this.bankgiro) return;
    const date = this.sectionDates.get(section.line) ?? "";
    for (const group of section.groups) this.ready.push(this.payment(group, date, section.currency));
    section.flushed += section.groups.length;
    section.groups = [];
  }

  *read(first: Line, rest: Iterator<Line>): Generator<BankPayment, BankFileResult, undefined> {
    let last = first;
    for (let line: Line | null = first; line !== null; line = nextOf(rest)) {
      last = line;
      this.readLine(line);
      if (this.counts.tk20 + this.counts.tk21 > this.limits.payments) {
        return { ok: false, errors: [{ position: `line ${line.number}`, message: `the file has more than ${this.limits.payments} payments; at most ${this.limits.payments} per file are accepted (payment count limit)` }] };
      }
      if (this.ready.length > 0) {
        yield* this.ready;
        this.ready = [];
      }
    }
    if (this.section) {
      this.error(last, `The section opened by the TK05 record on line ${this.section.line} has no TK15 deposit record`);
    }
    if (this.endLine === null) this.error(last, "The file ends without a TK70 end record (is it cut off?)");
    if (this.errors.length > 0) {
      const lineOf = (error: BankFileError) => Number(error.position.slice("line ".length));
      return { ok: false, errors: cappedErrors(this.errors.sort((a, b) => lineOf(a) - lineOf(b)), this.limits.errors) };
    }
    return {
      ok: true,
      file: {
        format: "bgmax",
        account: { bankgiro: this.bankgiro?.digits ?? null, iban: null },
        createdAt: this.createdAt,
        test: this.test,
        payments: [],
      },
    };
  }

  private error(line: Line, message: string) {
    this.errors.push({ position: `line ${line.number}`, message });
  }

  private readLine(line: Line) {
    const type = recordType(line);
    // A name or address with a tab or past position 80 is still a name: shown as it came.
    const complain = DISPLAY_ONLY.has(type) ? (message: string) => this.warn(line, type, message) : (message: string) => this.error(line, message);
    if (line.text.includes("\t")) {
      complain("The record contains a tab character; BgMax records are padded with spaces only (was the file edited?)");
    }
    if (line.text.length > RECORD_LENGTH) {
      complain(`The record is ${line.text.length} characters long; BgMax records have ${RECORD_LENGTH}`);
    }
    line = { number: line.number, text: line.text.padEnd(RECORD_LENGTH) };
    if (this.endLine !== null) {
      this.error(line, `TK${type} record after the TK70 end record on line ${this.endLine}`);
      return;
    }
    switch (type) {
      case "01":
        if (line.number === 1) this.readStart(line);
        else this.error(line, "A second TK01 start record; a BgMax file has one, on its first line");
        return;
      case "05":
        return this.readOpening(line);
      case "20":
      case "21":
        return this.readPayment(line, type);
      case "22":
      case "23":
        this.counts.tk22and23++;
        return this.readExtraReference(line, type);
      case "25":
      case "26":
      case "27":
      case "28":
      case "29":
        return this.readPayerDetail(line, type);
      case "15":
        return this.readDeposit(line);
      case "70":
        return this.readEnd(line);
      default:
      // The manual reserves the right to add record types: one the reader does not know is skipped.
    }
  }

  /** A warning on the payment the record belongs to (line-numbered), or nothing when it has none yet. */
  private warn(line: Line, type: string, message: string) {
    if (this.group && this.group !== "orphan") this.group.warnings.push(`line ${line.number} (TK${type}): ${message}`);
  }

  /** A display-only numeric field: digits, or a warning and null. */
  private shownDigits(line: Line, from: number, to: number, name: string): string | null {
    const value = slice(line, from, to);
    if (/^\d+$/.test(value)) return value;
    this.warn(line, recordType(line), `${name} (${positions(from, to)}) is not digits, got "${value.trim()}"; shown as given, not used`);
    return null;
  }

  /** A numeric field, or null (after reporting it) when it holds anything but digits. */
  private digits(line: Line, from: number, to: number, name: string): string | null {
    const value = slice(line, from, to);
    if (/^\d+$/.test(value)) return value;
    this.error(line, `${name} (${positions(from, to)}) must be digits, got "${value}"`);
    return null;
  }

  /** An amount in öre; null when unreadable or beyond exact JS integers (90 000 billion kr). */
  private amount(line: Line, from: number, to: number, name: string): number | null {
    const value = this.digits(line, from, to, name);
    if (value === null) return null;
    const ore = BigInt(value);
    if (ore > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.error(line, `${name} (${positions(from, to)}) is too large`);
      return null;
    }
    return Number(ore);
  }

  private readStart(line: Line) {
    const version = slice(line, 23, 24);
    if (version !== "01") this.error(line, `TK01 layout version (positions 23–24) must be 01, got "${version}"`);
    const stamp = this.digits(line, 25, 44, "TK01 timestamp");
    if (stamp !== null) {
      this.createdAt = bankgirotInstant(stamp);
      if (this.createdAt === null) this.error(line, `TK01 timestamp (positions 25–44) is not a valid date and time, got "${stamp}"`);
    }
    const marker = slice(line, 45, 45);
    if (marker === "T") this.test = true;
    else if (marker !== "P") this.error(line, `TK01 test marker (position 45) must be T (test) or P (production), got "${marker}"`);
  }

  private readOpening(line: Line) {
    if (this.section) {
      this.error(line, `TK05 opening record inside the section opened on line ${this.section.line}, which has no TK15 deposit record yet`);
    }
    this.section = null;
    this.group = null;
    const bankgiro = this.digits(line, 3, 12, "TK05 payee bankgiro");
    const currency = slice(line, 23, 25);
    const currencyOk = CURRENCIES.has(currency);
    if (!currencyOk) this.error(line, `TK05 currency (positions 23–25) must be SEK or EUR, got "${currency}"`);
    if (bankgiro !== null) {
      const digits = bankgiro.replace(/^0+/, "");
      if (digits === "") this.error(line, "TK05 payee bankgiro (positions 3–12) is all zeros");
      else if (!this.bankgiro) this.bankgiro = { digits, line: line.number };
      else if (this.bankgiro.digits !== digits) {
        this.error(
          line,
          `The file names more than one payee bankgiro (${this.bankgiro.digits} on line ${this.bankgiro.line}, ${digits} here); import a file for one bankgiro at a time`,
        );
      }
    }
    // A section with an unreadable header still collects its payments, so their errors are reported too.
    this.section = { line: line.number, currency: currencyOk ? currency : "", groups: [], flushed: 0, paymentsOre: 0n, deductionsOre: 0n, amountsReadable: true };
  }

  private readPayment(line: Line, type: "20" | "21") {
    const name = type === "20" ? "TK20 payment" : "TK21 deduction";
    if (type === "20") this.counts.tk20++;
    else this.counts.tk21++;
    if (!this.section) {
      this.error(line, `${name} record outside a section: it must come between a TK05 opening record and its TK15 deposit record`);
      this.group = "orphan";
      return;
    }
    const amount = this.amount(line, 38, 55, `${name} amount`);
    const code = this.digits(line, 56, 56, `${name} reference code`);
    const serial = this.digits(line, 58, 69, `${name} BGC serial number`);
    if (amount === null) this.section.amountsReadable = false;
    else if (type === "20") this.section.paymentsOre += BigInt(amount);
    else this.section.deductionsOre += BigInt(amount);

    const group: Group = {
      line: line.number,
      kind: type === "20" ? "payment" : "deduction",
      amount: type === "20" ? (amount ?? 0) : -(amount ?? 0),
      serial: serial ?? "",
      references: [],
      deductions: [],
      freeText: [],
      guessText: [],
      payerName: null,
      payerAccount: null,
      payerOrgNumber: null,
      warnings: [],
    };
    // The group before this one is complete: later records belong to this one.
    this.flushGroups(this.section);
    this.section.groups.push(group);
    this.group = group;
    // The payer's bankgiro is only shown (zeros when unknown).
    group.payerAccount = this.shownDigits(line, 3, 12, `${name} payer bankgiro`)?.replace(/^0+/, "") || null;
    addReference(group, slice(line, 13, 37), code, null);
  }

  /**
   * TK22: a further reference the payer pays, its amount (when filled) that reference's share.
   * TK23: a reference the payer deducted: its invoice or credit note is not paid by the payment.
   */
  private readExtraReference(line: Line, type: "22" | "23") {
    const group = this.groupFor(line, type);
    if (!group) return;
    const amount = this.amount(line, 38, 55, `TK${type} amount`);
    const code = this.digits(line, 56, 56, `TK${type} reference code`);
    if (group === "orphan") return;
    if (type === "22") {
      addReference(group, slice(line, 13, 37), code, amount === null || amount === 0 ? null : amount);
      return;
    }
    const reference = slice(line, 13, 37).trim().replace(/^0+/, "");
    if (reference && !group.deductions.some((deduction) => deduction.reference === reference)) {
      group.deductions.push({ reference, amount: amount === null || amount === 0 ? null : amount });
    }
  }

  private readPayerDetail(line: Line, type: "25" | "26" | "27" | "28" | "29") {
    const group = this.groupFor(line, type);
    if (!group || group === "orphan") return;
    if (type === "25") {
      const text = slice(line, 3, 52).trim();
      if (text) {
        group.freeText.push(text);
        group.guessText.push(text);
      }
    } else if (type === "26") {
      const name = [slice(line, 3, 37).trim(), slice(line, 38, 72).trim()].filter(Boolean).join(" ");
      group.payerName = name || null;
    } else if (type === "29") {
      const value = slice(line, 3, 14).trim();
      if (value === "") return;
      // 12 digits as the manual says; some of Bankgirot's own samples carry 10 or 11 and a space.
      if (/^(\d{10}|\d{12})$/.test(value)) group.payerOrgNumber = orgNumber(value);
      else group.warnings.push(`line ${line.number} (TK29): the payer's organisation number (positions 3–14) is not 10 or 12 digits, got "${value}"; not used`);
    }
    // TK27/28 (postal address) are not needed to match a payment.
  }

  private groupFor(line: Line, type: string): Group | "orphan" | null {
    if (this.group) return this.group;
    this.error(line, `TK${type} record without a TK20 payment or TK21 deduction record before it`);
    return null;
  }

  private readDeposit(line: Line) {
    this.counts.tk15++;
    const section = this.section;
    this.group = null;
    this.section = null;
    if (!section) {
      this.error(line, "TK15 deposit record without a TK05 opening record before it");
      return;
    }
    const rawDate = this.digits(line, 38, 45, "TK15 payment date");
    const date = rawDate === null ? null : this.plausibleDate(line, rawDate);
    const deposit = this.amount(line, 51, 68, "TK15 deposit amount");
    const currency = slice(line, 69, 71);
    if (section.currency && currency !== section.currency) {
      this.error(line, `TK15 currency (positions 69–71) is "${currency}" but the section's TK05 on line ${section.line} says ${section.currency}`);
    }
    const count = this.digits(line, 72, 79, "TK15 number of payments");

    if (deposit !== null && section.amountsReadable) {
      const expected = section.paymentsOre - section.deductionsOre;
      if (BigInt(deposit) !== expected) {
        this.error(
          line,
          `TK15 deposit amount ${kronor(BigInt(deposit))} does not match the section's records: ` +
            `TK20 payments ${kronor(section.paymentsOre)} − TK21 deductions ${kronor(section.deductionsOre)} = ${kronor(expected)}`,
        );
      }
    }
    const groups = section.flushed + section.groups.length;
    if (count !== null && Number(count) !== groups) {
      this.error(line, `TK15 number of payments is ${Number(count)} but the section has ${groups} TK20/TK21 records`);
    }
    if (date !== null && this.sectionDates && !this.sectionDates.has(section.line)) {
      this.sectionDates.set(section.line, date);
      if (section.flushed > 0) return this.flushGroups(section); // the checking read: only counted
    }
    if (this.sectionDates && section.flushed > 0) return this.flushGroups(section);
    if (date === null || !this.bankgiro) return;
    for (const group of section.groups) this.ready.push(this.payment(group, date, section.currency));
  }

  /** A real calendar date near the file's own TK01 timestamp (a payment dated centuries before it cannot be right). */
  private plausibleDate(line: Line, raw: string): string | null {
    const date = isoDate(raw);
    if (date === null) {
      this.error(line, `TK15 payment date (positions 38–45) is not a valid date, got "${raw}"`);
      return null;
    }
    if (this.createdAt === null) return date;
    const days = Math.abs(Date.parse(`${date}T12:00:00Z`) - Date.parse(this.createdAt)) / 86_400_000;
    if (days <= MAX_DATE_DISTANCE_DAYS) return date;
    this.error(line, `TK15 payment date (positions 38–45) ${date} is ${Math.round(days)} days from the file's TK01 timestamp (${this.createdAt.slice(0, 10)}); it cannot be right`);
    return null;
  }

  private payment(group: Group, date: string, currency: string): BankPayment {
    // Bankgirot's own id of the payment. Its serials are meant to be unique, yet the official
    // sample repeats one within a deposit: a second payment must not pass for a re-import of the
    // first (it would silently go unbooked), so repeats get their order in the file.
    const base = `${this.bankgiro!.digits}:${date}:${group.serial}`;
    const seen = (this.seenIds.get(base) ?? 0) + 1;
    this.seenIds.set(base, seen);
    const checked = group.references.length > 0;
    const shares = checked && group.kind === "payment" ? sharesOf(group) : { shares: null, warning: null };
    return {
      transactionId: seen === 1 ? base : `${base}~${seen}`,
      kind: group.kind,
      amount: group.amount,
      currency,
      date,
      // Without a reference Bankgirot checked, one may be in the payer's text (code 3, TK25).
      references: checked ? group.references.map((part) => part.reference) : referencesInFreeText(group.guessText.join("\n")),
      referenceChecked: checked,
      shares: shares.shares,
      deductions: group.deductions,
      warnings: shares.warning ? [...group.warnings, shares.warning] : group.warnings,
      freeText: group.freeText.length > 0 ? group.freeText.join("\n") : null,
      payerName: group.payerName,
      payerAccount: group.payerAccount,
      payerOrgNumber: group.payerOrgNumber,
      position: `line ${group.line}`,
    };
  }

  private readEnd(line: Line) {
    this.endLine = line.number;
    if (this.section) {
      this.error(line, `TK70 end record before the TK15 deposit record of the section opened on line ${this.section.line}`);
      this.section = null;
    }
    const fields = [
      [3, 10, "TK20 payment records", this.counts.tk20],
      [11, 18, "TK21 deduction records", this.counts.tk21],
      [19, 26, "TK22/TK23 extra reference records", this.counts.tk22and23],
      [27, 34, "TK15 deposit records", this.counts.tk15],
    ] as const;
    for (const [from, to, name, actual] of fields) {
      const stated = this.digits(line, from, to, `TK70 count of ${name}`);
      if (stated !== null && Number(stated) !== actual) {
        this.error(line, `TK70 count of ${name} (positions ${from}–${to}) is ${Number(stated)} but the file has ${actual}`);
      }
    }
  }
}

/**
 * A reference field of a TK20–23 record. Checked ones (code 2/4) are right-aligned OCR numbers,
 * compared without padding; anything else (free text, code 3; a reference that failed the check,
 * code 5) is kept as text for a person to read.
 */
function addReference(group: Group, field: string, code: string | null, share: number | null) {
  if (code !== null && CHECKED_CODES.has(code)) {
    const reference = field.trim().replace(/^0+/, "");
    if (!reference) return;
    // A TK22 may repeat the TK20's own reference; named twice it would be paid twice.
    const known = group.references.find((part) => part.reference === reference);
    if (!known) group.references.push({ reference, share });
    else if (share !== null) known.share = share;
    return;
  }
  const text = field.trim();
  if (!text) return;
  group.freeText.push(text);
  // Code 3: the payer's own text, where an OCR number may be written; code 5 failed Bankgirot's check.
  if (code === "3") group.guessText.push(text);
}

/**
 * The references' shares when the file gives them: every TK22 amount filled, the TK20's own
 * reference (if any) taking what is left, all adding up to the payment. Otherwise null (split in
 * the payer's order), with a warning when amounts were given but do not fit.
 */
function sharesOf(group: Group): { shares: number[] | null; warning: string | null } {
  const parts = group.references;
  const missing = parts.filter((part) => part.share === null);
  if (missing.length === parts.length) return { shares: null, warning: null };
  const given = parts.reduce((sum, part) => sum + (part.share ?? 0), 0);
  const rest = group.amount - given;
  const shares = missing.length === 0 ? parts.map((part) => part.share!) : missing.length === 1 && rest > 0 ? parts.map((part) => part.share ?? rest) : null;
  if (shares && shares.reduce((sum, share) => sum + share, 0) === group.amount) return { shares, warning: null };
  return {
    shares: null,
    warning: `The TK22 amounts (${kronor(BigInt(given))} for ${parts.length - missing.length} of ${parts.length} references) do not add up to the payment's ${kronor(BigInt(group.amount))}: split in the payer's order instead`,
  };
}

/**
 * TK29 holds 12 digits: "00" + a 10-digit organisation number, or a personal number with its
 * century. Written NNNNNN-NNNN like customers' org numbers, so the report can name the customer.
 */
function orgNumber(digits: string): string | null {
  if (/^0+$/.test(digits)) return null;
  const ten = digits.slice(-10);
  return `${ten.slice(0, 6)}-${ten.slice(6)}`;
}

/** Minor units as "1900.00" for messages: people compare these with the bank statement. */
function kronor(ore: bigint): string {
  const sign = ore < 0n ? "-" : "";
  const abs = ore < 0n ? -ore : ore;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

function isoDate(yyyymmdd: string): string | null {
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso ? iso : null;
}

/** TK01's YYYYMMDDHHMMSSffffff (Swedish local time) as a UTC ISO instant, or null if impossible. */
function bankgirotInstant(stamp: string): string | null {
  const date = isoDate(stamp.slice(0, 8));
  const [hour, minute, second] = [stamp.slice(8, 10), stamp.slice(10, 12), stamp.slice(12, 14)].map(Number) as [number, number, number];
  if (date === null || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.parse(`${date}T00:00:00Z`) + ((hour * 60 + minute) * 60 + second) * 1000 + Number(stamp.slice(14, 17));
  return instantOfWallTime(wall, BANKGIROT_TIME_ZONE).toISOString();
}

/**
 * BgMax is ISO 8859-1. A file that went through an editor or a mail system may arrive as UTF-8
 * instead; latin1 would turn its "å" into two characters and shift every later column, so bytes
 * that are valid UTF-8 with non-ASCII characters in them are read as UTF-8 (latin1 text with åäö
 * is practically never valid UTF-8).
 */
function decode(bytes: Uint8Array): string {
  if (bytes.some((byte) => byte > 0x7f)) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8: the ISO 8859-1 it should be.
    }
  }
  // Exact ISO 8859-1 (TextDecoder's "latin1" is windows-1252, which differs in 0x80–0x9F). In one
  // call: building the text in small pieces took 5 s of a 20 MB file (security D6).
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

const nextOf = (lines: Iterator<Line>): Line | null => {
  const next = lines.next();
  return next.done ? null : next.value;
};

/**
 * One record per line, CRLF, LF or CR; or, in a file without any line break, records of 80
 * characters back to back; one at a time, so no array of the file's lines is ever built. Systems
 * that trim trailing spaces leave short lines, padded back to 80 by the reader; blank lines (a
 * trailing newline, an editor's extra one) carry nothing.
 */
function* records(text: string): Generator<Line, void, undefined> {
  const breaks = /\r\n|\r|\n/g;
  const unbroken = !/[\r\n]/.test(text);
  let start = 0;
  for (let index = 0; start <= text.length; index++) {
    let raw: string;
    if (unbroken) {
      if (start >= text.length) return;
      raw = text.slice(start, start + RECORD_LENGTH);
      start += RECORD_LENGTH;
    } else {
      const found = breaks.exec(text);
      raw = text.slice(start, found ? found.index : text.length);
      start = found ? found.index + found[0].length : text.length + 1;
    }
    // A control character (a NUL in a name) becomes a space, keeping every field at its position:
    // a digit field then fails as not digits, a name is kept without it (security D5). Tabs stay,
    // for the record check to name them.
    const line = { number: index + 1, text: raw.replace(CONTROL_CHARACTER, " ").replace(/[ \r]+$/, "") };
    if (line.text.trim() !== "") yield line;
  }
}
