// ISO 20022 camt.054 (BankToCustomerDebitCreditNotification), versions .001.02 to .001.10, as
// Swedish and SEPA banks send it (payment-formats.md §5b), read into the common BankFile shape.
// Only booked, non-reversed incoming entries become payments: a pending entry may still be
// rejected, and debits are the supplier's own outgoing money. Pure: bytes in, result out.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import {
  BANK_FILE_LIMITS, cappedErrors, sizeError, type BankFile, type BankFileError, type BankFileLimits, type BankFileResult, type BankPayment,
} from "./bank-file";
import { referencesInFreeText } from "./free-text-references";
import { currencyExponent, isSupportedCurrency, type CurrencyCode } from "./money";
import { instantOfWallTime } from "./time-zone";

const SUPPORTED_VERSIONS = { min: 2, max: 10 };

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  // Banks use prefixes (ns2:, camt:) or none; the element names are what identify the message.
  removeNSPrefix: true,
  // Strings only: an OCR number keeps its leading zeros and an amount its exact decimals.
  parseTagValue: false,
  parseAttributeValue: false,
  // No DOCTYPE ever gets here (refused before parsing), so only the five XML entities are expanded.
  processEntities: true,
  htmlEntities: false,
});

const fail = (errors: BankFileError[]): BankFileResult => ({ ok: false, errors });
const fileError = (position: string, message: string): BankFileResult => fail([{ position, message }]);

export function parseCamt054(bytes: Uint8Array, limits: BankFileLimits = BANK_FILE_LIMITS): BankFileResult {
  const tooLarge = sizeError(bytes, limits);
  if (tooLarge) return fail([tooLarge]);
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return fileError("file", decoded.message);
  const text = decoded.text;

  // A DTD could define entities (billion laughs, external files); camt.054 never needs one.
  const dtd = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (dtd) return fileError(`line ${lineAt(text, dtd.index)}`, `the file contains <!${dtd[1]!.toUpperCase()}; DTDs and entity declarations are not accepted`);

  if (text.trim() === "") return fileError("file", "the file is empty");
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return fileError(`line ${valid.err.line}`, `the file is not valid XML: ${valid.err.msg}`);
  }
  // Counted before the parser builds a tree of them: each is at least one payment's worth of memory.
  for (const element of ["Ntry", "TxDtls"]) {
    const found = text.match(new RegExp(`<(?:[\\w.-]+:)?${element}[\\s>]`, "g"))?.length ?? 0;
    if (found > limits.payments) {
      return fileError("file", `the file has ${found} ${element} elements; at most ${limits.payments} payments per file are accepted (payment count limit)`);
    }
  }
  // The parser recurses once per level: 10,000 nested elements would overflow the stack (a 500).
  const deep = tooDeepAt(text, limits.depth);
  if (deep !== null) {
    return fileError(`line ${lineAt(text, deep)}`, `the XML is nested more than ${limits.depth} elements deep (depth limit); camt.054 needs about 15`);
  }

  const namespace = /\bxmlns(?::[\w.-]+)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3})\.001\.(\d{2})["']/.exec(text);
  // The tree is built without the entries, each of which is parsed when it is read: a file of
  // 15,000 entries never becomes one tree of them (hundreds of MB for an 11 MB file).
  const { skeleton, entries } = withoutEntries(text);
  const root = findElement(parser.parse(skeleton) as unknown, "BkToCstmrDbtCdtNtfctn", 3);
  if (!root) {
    const kind = namespace ? `${namespace[1]} (${describeMessage(namespace[1]!)})` : "no camt.054 notification";
    return fileError("file", `the file is not a camt.054 debit/credit notification (BkToCstmrDbtCdtNtfctn); it is ${kind}`);
  }
  if (namespace && namespace[1] === "camt.054") {
    const version = Number(namespace[2]);
    if (version < SUPPORTED_VERSIONS.min || version > SUPPORTED_VERSIONS.max) {
      return fileError("file", `camt.054.001.${namespace[2]} is not supported; versions .001.02 to .001.10 are`);
    }
  }
  return readNotifications(root, limits, (placeholder) => {
    const span = entries[Number(isElement(placeholder) ? placeholder[CHUNK_ATTRIBUTE] : NaN)];
    return span ? (parser.parse(text.slice(span.from, span.to)) as XmlNode)["Ntry"] : placeholder;
  });
}

const CHUNK_ATTRIBUTE = "@pp-entry";

/**
 * The text with each Ntry element replaced by an empty `<Ntry pp-entry="k"/>`, and where entry k
 * is in the text. Runs on text the validator accepted (so tags are well formed); comments, CDATA
 * and processing instructions are skipped as tooDeepAt does, and an Ntry inside an Ntry stays in it.
 */
function withoutEntries(text: string): { skeleton: string; entries: { from: number; to: number }[] } {
  const entries: { from: number; to: number }[] = [];
  const parts: string[] = [];
  let copied = 0;
  let depth = 0;
  let open: { from: number; depth: number } | null = null;
  for (let at = text.indexOf("<"); at !== -1; at = text.indexOf("<", at + 1)) {
    if (text.startsWith("<!--", at)) at = text.indexOf("-->", at);
    else if (text.startsWith("<![CDATA[", at)) at = text.indexOf("]]>", at);
    else if (text[at + 1] === "?" || text[at + 1] === "!") at = text.indexOf(">", at);
    else if (text[at + 1] === "/") {
      const end = text.indexOf(">", at);
      if (open && depth === open.depth && /^<\/(?:[\w.-]+:)?Ntry\s*$/.test(text.slice(at, end))) {
        entries.push({ from: open.from, to: end + 1 });
        parts.push(text.slice(copied, open.from), `<Ntry pp-entry="${entries.length - 1}"/>`);
        copied = end + 1;
        open = null;
      }
      depth--;
      at = end;
    } else {
      let end = at + 1;
      for (let quote: string | null = null; end < text.length && (quote !== null || text[end] !== ">"); end++) {
        const char = text[end]!;
        if (quote === null && (char === '"' || char === "'")) quote = char;
        else if (char === quote) quote = null;
      }
      if (text[end - 1] !== "/") {
        depth++;
        if (!open && /^<(?:[\w.-]+:)?Ntry[\s>]/.test(text.slice(at, end + 1))) open = { from: at, depth };
      }
      at = end;
    }
    if (at === -1) break;
  }
  parts.push(text.slice(copied));
  return { skeleton: parts.join(""), entries };
}

/**
 * Where the element nesting first goes deeper than `max`, or null. Runs on text the validator
 * accepted, so tags are well formed; comments, CDATA and quoted attribute values are skipped.
 */
function tooDeepAt(text: string, max: number): number | null {
  let depth = 0;
  for (let at = text.indexOf("<"); at !== -1; at = text.indexOf("<", at + 1)) {
    if (text.startsWith("<!--", at)) at = text.indexOf("-->", at);
    else if (text.startsWith("<![CDATA[", at)) at = text.indexOf("]]>", at);
    else if (text[at + 1] === "?" || text[at + 1] === "!") at = text.indexOf(">", at);
    else if (text[at + 1] === "/") depth--;
    else {
      let end = at + 1;
      for (let quote: string | null = null; end < text.length && (quote !== null || text[end] !== ">"); end++) {
        const char = text[end]!;
        if (quote === null && (char === '"' || char === "'")) quote = char;
        else if (char === quote) quote = null;
      }
      if (text[end - 1] !== "/" && ++depth > max) return at;
      at = end;
    }
    if (at === -1) return null;
  }
  return null;
}

function readNotifications(root: XmlNode, limits: BankFileLimits, entryOf: (placeholder: unknown) => unknown): BankFileResult {
  const errors: BankFileError[] = [];
  const payments: BankPayment[] = [];
  const notifications = list(root["Ntfctn"]);
  if (notifications.length === 0) return fileError("file", "the file has no notification (Ntfctn)");

  let account: BankFile["account"] | null = null;
  let entryNumber = 0;
  notifications.forEach((notification, index) => {
    const position = notifications.length > 1 ? `notification ${index + 1}` : "notification";
    const read = readAccount(notification);
    if (!read.ok) errors.push({ position, message: read.message });
    else if (!account) account = read.account;
    else if (accountLabel(account) !== accountLabel(read.account)) {
      errors.push({ position, message: `names a second receiving account, ${accountLabel(read.account)} (the first was ${accountLabel(account)}); import one account per file` });
    }
    for (const entry of all(notification, "Ntry")) {
      entryNumber++;
      const result = readEntry(entryOf(entry), entryNumber);
      for (const error of result.errors) errors.push(error);
      for (const payment of result.payments) payments.push(payment);
    }
  });

  if (payments.length > limits.payments) {
    return fileError("file", `the file has ${payments.length} payments; at most ${limits.payments} per file are accepted (payment count limit)`);
  }
  if (errors.length > 0) return fail(cappedErrors(errors, limits.errors));
  uniqueTransactionIds(payments);
  return {
    ok: true,
    file: {
      format: "camt054",
      account: account!,
      createdAt: creationInstant(text(at(root, "GrpHdr", "CreDtTm"))),
      // camt.054 has no test marker; banks send test files from separate test environments.
      test: false,
      payments,
    },
  };
}

/**
 * A bank may repeat an AcctSvcrRef inside one file (two entries, or every transaction of an entry
 * carrying the entry's): a repeat gets its occurrence number, so no payment of the file passes for
 * a re-import of another. The order is the file's, so a re-import gives the same ids (P8).
 */
function uniqueTransactionIds(payments: BankPayment[]) {
  const seen = new Map<string, number>();
  for (const payment of payments) {
    const count = (seen.get(payment.transactionId) ?? 0) + 1;
    seen.set(payment.transactionId, count);
    if (count > 1) payment.transactionId = `${payment.transactionId}~${count}`;
  }
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
/** ISODateTime without an offset is the bank's local time; the files read here come from Swedish banks. */
const BANK_TIME_ZONE = "Europe/Stockholm";

/**
 * The file's creation time as an RFC 3339 instant in UTC (the API answers every instant with its
 * offset), or null when the header has none or one that is not a date and time: it is informative only.
 */
function creationInstant(value: string | null): string | null {
  const match = value === null ? null : ISO_DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [, date, hour, minute, second, fraction = "", offset] = match;
  const wall = Date.parse(`${date}T${hour}:${minute}:${second}${fraction.slice(0, 4)}Z`);
  if (Number.isNaN(wall)) return null;
  if (!offset) return instantOfWallTime(wall, BANK_TIME_ZONE).toISOString();
  const instant = Date.parse(`${date}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(instant) ? null : new Date(instant).toISOString();
}

type AccountRead = { ok: true; account: BankFile["account"] } | { ok: false; message: string };

function readAccount(notification: unknown): AccountRead {
  const iban = text(at(notification, "Acct", "Id", "IBAN"));
  if (iban) return { ok: true, account: { bankgiro: null, iban: iban.replace(/\s+/g, "").toUpperCase() } };
  const other = text(at(notification, "Acct", "Id", "Othr", "Id"));
  if (!other) return { ok: false, message: "names no receiving account (Acct/Id/IBAN or Acct/Id/Othr/Id)" };
  // Swedish banks name the bankgiro here ("5050-1055") with the scheme BGNR. Any other Othr/Id is
  // what its scheme says (an account number, a plusgiro …), never taken for a bankgiro by its digits.
  const scheme = text(at(notification, "Acct", "Id", "Othr", "SchmeNm", "Prtry")) ?? text(at(notification, "Acct", "Id", "Othr", "SchmeNm", "Cd"));
  const digits = other.replace(/[\s-]/g, "");
  if (scheme?.toUpperCase() === "BGNR") {
    if (/^\d+$/.test(digits)) return { ok: true, account: { bankgiro: digits, iban: null } };
    return { ok: false, message: `the receiving bankgiro (scheme BGNR) "${other}" is not a bankgiro number` };
  }
  return {
    ok: false,
    message: `the receiving account "${other}" is ${scheme ? `a ${scheme} account` : "an account without a scheme"}; files are matched by IBAN or by bankgiro (Othr/SchmeNm/Prtry BGNR)`,
  };
}

const accountLabel = (account: BankFile["account"]) => (account.iban ? `IBAN ${account.iban}` : `bankgiro ${account.bankgiro}`);

type EntryRead = { payments: BankPayment[]; errors: BankFileError[] };

function readEntry(entry: unknown, entryNumber: number): EntryRead {
  const position = `entry ${entryNumber}`;
  const errors: BankFileError[] = [];
  const failed = (message: string): EntryRead => ({ payments: [], errors: [{ position, message }] });

  const direction = text(at(entry, "CdtDbtInd"));
  if (direction === "DBIT") return { payments: [], errors: [] };
  if (direction !== "CRDT") return failed(direction ? `CdtDbtInd is "${direction}", expected CRDT or DBIT` : "has no CdtDbtInd (credit or debit)");
  // v02 writes <Sts>BOOK</Sts>, v08+ <Sts><Cd>BOOK</Cd></Sts>.
  const status = text(at(entry, "Sts")) ?? text(at(entry, "Sts", "Cd")) ?? text(at(entry, "Sts", "Prtry"));
  if (!status) return failed("has no status (Sts)");
  if (status !== "BOOK") return { payments: [], errors: [] };
  // A reversal takes back an earlier credit; it is not a payment from the payer.
  const reversal = text(at(entry, "RvslInd"));
  if (reversal === "true" || reversal === "1") return { payments: [], errors: [] };

  const entryAmount = at(entry, "Amt");
  if (entryAmount === undefined) errors.push({ position, message: "has no amount (Amt)" });
  const date = bookingDate(entry);
  if (!date.ok) errors.push({ position, message: date.message });

  const transactions = all(entry, "NtryDtls").flatMap((details) => all(details, "TxDtls"));
  const entryRef = text(at(entry, "AcctSvcrRef"));
  const payments: BankPayment[] = [];

  if (transactions.length === 0) {
    const amount = entryAmount === undefined ? null : readAmount(entryAmount);
    if (amount && !amount.ok) errors.push({ position, message: amount.message });
    if (!entryRef) errors.push({ position, message: "has no bank reference (AcctSvcrRef), so a re-import could not be recognised" });
    if (errors.length > 0 || !amount?.ok || !date.ok || !entryRef) return { payments: [], errors };
    payments.push({
      transactionId: entryRef,
      kind: "payment",
      amount: amount.minor,
      currency: amount.currency,
      date: date.value,
      references: [],
      referenceChecked: false,
      shares: null,
      deductions: [],
      warnings: [],
      freeText: text(at(entry, "AddtlNtryInf")),
      payerName: null,
      payerOrgNumber: null,
      position,
    });
    return { payments, errors };
  }

  transactions.forEach((transaction, index) => {
    const several = transactions.length > 1;
    const txPosition = several ? `${position}, transaction ${index + 1}` : position;
    const txErrors: string[] = [];
    // v04+ puts the amount on the transaction, v02 under AmtDtls; a lone transaction is the entry.
    const amountNode = at(transaction, "Amt") ?? at(transaction, "AmtDtls", "TxAmt", "Amt") ?? (several ? undefined : entryAmount);
    const amount = amountNode === undefined ? null : readAmount(amountNode);
    // A lone transaction without the entry's Amt is already reported on the entry.
    if (!amount) {
      if (several) txErrors.push("has no amount (Amt or AmtDtls/TxAmt/Amt)");
    } else if (!amount.ok) txErrors.push(amount.message);
    const transactionId = transactionIdOf(transaction, entryRef, several ? index + 1 : null);
    if (!transactionId) txErrors.push("has no bank reference (AcctSvcrRef or EndToEndId), so a re-import could not be recognised");
    errors.push(...txErrors.map((message) => ({ position: txPosition, message })));
    if (txErrors.length > 0 || !amount?.ok || !date.ok || !transactionId) return;

    const freeText = all(transaction, "RmtInf", "Ustrd").map(text).filter((line): line is string => !!line).join(" ") || null;
    const remittance = structuredRemittance(transaction, amount.currency);
    const structured = remittance.references.map((part) => part.reference);
    const checked = structured.length > 0;
    const shares = checked ? sharesOf(remittance.references, amount.minor) : { shares: null, warning: null };
    payments.push({
      transactionId,
      kind: "payment",
      amount: amount.minor,
      currency: amount.currency,
      date: date.value,
      references: checked ? structured : referencesInFreeText(freeText ?? ""),
      referenceChecked: checked,
      shares: shares.shares,
      deductions: remittance.deductions,
      warnings: [...remittance.warnings, ...(shares.warning ? [shares.warning] : [])],
      freeText,
      payerName: text(at(transaction, "RltdPties", "Dbtr", "Nm")) ?? text(at(transaction, "RltdPties", "Dbtr", "Pty", "Nm")),
      payerOrgNumber: null,
      position: txPosition,
    });
  });
  return { payments, errors };
}

/**
 * The bank's own id makes a re-import recognisable (P8). The transaction's AcctSvcrRef is best;
 * the entry's plus the transaction's place in it is as stable; the payer's EndToEndId is last.
 */
function transactionIdOf(transaction: unknown, entryRef: string | null, index: number | null): string | null {
  const own = text(at(transaction, "Refs", "AcctSvcrRef"));
  // Several transactions repeating the entry's reference are told apart by their position.
  if (own && !(index !== null && own === entryRef)) return own;
  if (entryRef) return index === null ? entryRef : `${entryRef}:${index}`;
  const endToEnd = text(at(transaction, "Refs", "EndToEndId"));
  if (endToEnd && endToEnd !== "NOTPROVIDED") return endToEnd;
  return null;
}

type RemittancePart = { reference: string; amount: number | null };
type Remittance = { references: RemittancePart[]; deductions: RemittancePart[]; warnings: string[] };

/**
 * The structured remittance (RmtInf/Strd): each creditor reference (OCR digits or RF…, as
 * printed) with its own amount (RfrdDocAmt/RmtdAmt) when given. A referred document that is a
 * credit note (RfrdDocInf/Tp CREN, or an amount given as CdtNoteAmt and none as RmtdAmt) is a
 * deduction: the payer subtracted it, it is not paid (payment-formats.md §5a′).
 */
function structuredRemittance(transaction: unknown, currency: CurrencyCode): Remittance {
  const remittance: Remittance = { references: [], deductions: [], warnings: [] };
  const amountOf = (node: unknown, name: string): number | null => {
    if (node === undefined) return null;
    const read = readAmount(node);
    if (read.ok && read.currency === currency) return read.minor;
    remittance.warnings.push(`${name} ${read.ok ? `is in ${read.currency}, not the payment's ${currency}` : read.message.replace(/^has an? /, "")}; not used`);
    return null;
  };
  for (const structured of all(transaction, "RmtInf", "Strd")) {
    const documentType = text(at(structured, "RfrdDocInf", "Tp", "CdOrPrtry", "Cd"))?.toUpperCase();
    const paid = amountOf(at(structured, "RfrdDocAmt", "RmtdAmt"), "RmtdAmt");
    const credited = amountOf(at(structured, "RfrdDocAmt", "CdtNoteAmt"), "CdtNoteAmt");
    const creditNote = documentType === "CREN" || (credited !== null && paid === null);
    for (const info of all(structured, "CdtrRefInf")) {
      for (const ref of all(info, "Ref")) {
        const value = text(ref)?.replace(/\s+/g, "");
        if (!value) continue;
        const reference = /^rf/i.test(value) ? value.toUpperCase() : value;
        const list = creditNote ? remittance.deductions : remittance.references;
        if (list.some((part) => part.reference === reference)) continue;
        list.push({ reference, amount: creditNote ? credited : paid });
      }
    }
  }
  return remittance;
}

/** The references' own amounts when every one has one and they add up to the payment; else null (payer's order). */
function sharesOf(parts: RemittancePart[], amount: number): { shares: number[] | null; warning: string | null } {
  const given = parts.filter((part) => part.amount !== null);
  if (given.length === 0) return { shares: null, warning: null };
  const sum = given.reduce((total, part) => total + part.amount!, 0);
  if (given.length === parts.length && sum === amount) return { shares: parts.map((part) => part.amount!), warning: null };
  return {
    shares: null,
    warning: `the remittance's amounts per reference (RmtdAmt, ${given.length} of ${parts.length} given) add up to ${sum}, not the payment's ${amount} (minor units): split in the payer's order instead`,
  };
}

type AmountRead = { ok: true; minor: number; currency: CurrencyCode } | { ok: false; message: string };

/** `<Amt Ccy="SEK">1500.50</Amt>` to minor units, exactly; more decimals than the currency has is an error. */
function readAmount(node: unknown): AmountRead {
  const value = text(node);
  const currency = typeof node === "object" && node !== null ? (node as XmlNode)["@Ccy"] : undefined;
  if (typeof currency !== "string" || currency.trim() === "") return { ok: false, message: "has an amount without a currency (Amt/@Ccy)" };
  const code = currency.trim().toUpperCase();
  if (!isSupportedCurrency(code)) return { ok: false, message: `has an amount in ${code}, a currency the portal does not handle` };
  if (!value) return { ok: false, message: "has an empty amount" };
  const match = /^(\d{1,18})(?:\.(\d+))?$/.exec(value);
  if (!match) return { ok: false, message: `has an amount "${value}" that is not a decimal number like 1500.00` };
  const exponent = currencyExponent(code);
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) {
    return { ok: false, message: `has an amount "${value}" with more decimals than ${code} has (${exponent})` };
  }
  const minor = BigInt(match[1]! + fraction.padEnd(exponent, "0"));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: `has an amount "${value}" that is too large` };
  return { ok: true, minor: Number(minor), currency: code };
}

type DateRead = { ok: true; value: string } | { ok: false; message: string };

/** BookgDt/Dt, or the date part of BookgDt/DtTm as the bank wrote it (its local date). */
function bookingDate(entry: unknown): DateRead {
  const raw = text(at(entry, "BookgDt", "Dt")) ?? text(at(entry, "BookgDt", "DtTm"))?.slice(0, 10) ?? null;
  if (!raw) return { ok: false, message: "has no booking date (BookgDt/Dt or BookgDt/DtTm)" };
  if (!isCalendarDate(raw)) return { ok: false, message: `has a booking date "${raw}" that is not a date (YYYY-MM-DD)` };
  return { ok: true, value: raw };
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  // UTF-16 decodes as "valid" UTF-8 full of NULs; XML never contains NUL, so that settles it.
  if (bytes.includes(0)) return { ok: false, message: "the file is not UTF-8 text (it looks like UTF-16 or binary)" };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); // strips a BOM
    return { ok: true, text };
  } catch {
    return { ok: false, message: "the file is not UTF-8 text" };
  }
}

const describeMessage = (type: string) =>
  ({ "camt.052": "an account report", "camt.053": "an account statement", "camt.054": "a notification" })[type] ?? "another ISO 20022 message";

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** The element named `name` at most `depth` levels down (Document/…, or an envelope around it). */
function findElement(node: unknown, name: string, depth: number): XmlNode | null {
  if (depth < 0 || typeof node !== "object" || node === null) return null;
  for (const [key, value] of Object.entries(node)) {
    for (const child of list(value)) {
      if (key === name && isElement(child)) return child;
      const found = findElement(child, name, depth - 1);
      if (found) return found;
    }
  }
  return null;
}

const isElement = (value: unknown): value is XmlNode => typeof value === "object" && value !== null && !Array.isArray(value);

/** The parser gives one child as a value and repeated ones as an array; this always gives an array. */
const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every element at the end of `path`, following the first element at each step before it. */
function all(node: unknown, ...path: string[]): unknown[] {
  let current: unknown = node;
  for (const name of path) {
    const first = list(current)[0];
    if (!isElement(first) || !Object.hasOwn(first, name)) return [];
    current = first[name];
  }
  return list(current);
}

/** The first element along `path`, or undefined. */
const at = (node: unknown, ...path: string[]): unknown => all(node, ...path)[0];

/** An element's trimmed text, or null when it is absent, empty, or has only child elements. */
function text(node: unknown): string | null {
  const value = isElement(node) ? node["#text"] : node;
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}
