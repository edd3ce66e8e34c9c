// References a payer typed into a message instead of the reference field: camt.054 `Ustrd`, BgMax
// reference code 3 and TK25 information records. Only numbers that pass the OCR check digit, and
// RF references that pass mod 97, are candidates; amounts, rates, dates and numbers the text labels
// as something else (a customer number, an account) are never taken. The booking then counts a
// candidate only when it equals an open invoice's reference exactly (payment-formats.md §5a′).
import { validateOcr } from "./ocr";
import { isValidRf } from "./rf";

/** Words after which a number is something other than a reference (sv and en, lower case). */
const NOT_A_REFERENCE = new Set([
  "kund", "kundnr", "kundnummer", "kundid", "customer", "cust", "custno", "client",
  "org", "orgnr", "organisationsnummer", "personnr", "personnummer", "vat", "moms",
  "tel", "telefon", "phone", "mobil", "konto", "kontonr", "account", "acct", "clearing", "bankgiro", "bg", "plusgiro", "pg",
  "belopp", "amount", "summa", "sum", "total", "kurs", "växelkurs", "rate", "fx", "datum", "date", "order", "ordernr",
]);
/** Words a label may be followed by before its number: "kund nr: 4711". */
const LABEL_FILLERS = new Set(["nr", "no", "nummer", "number", "id"]);

/**
 * Amounts and rates: "1 229,70", "1.229,70", "12297.00", "0,0934", "500 kr", "EUR 12", "10%". They
 * are blanked out before numbers are looked for, so no part of one can pass for a reference.
 */
const AMOUNTS = [
  /(?<![\d.,])\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?(?![\d])/g,
  /(?<![\d])\d+[.,]\d+(?![\d])/g,
  /(?<![\d])\d+(?:\s?(?:kr|sek|eur|€|:-|%))(?![a-z])/gi,
  /(?:sek|eur|€)\s?\d+/gi,
];
/** Dates and other dash- or slash-joined numbers ("2026-03-20", "20/3"). */
const JOINED = /(?<![\d])\d+(?:[-/]\d+)+(?![\d])/g;

const blank = (text: string, pattern: RegExp) => text.replace(pattern, (match) => " ".repeat(match.length));

/** The candidates in the order written, each once: RF references if there are any, else OCR numbers. */
export function referencesInFreeText(freeText: string): string[] {
  const rfs = rfReferences(freeText);
  if (rfs.length > 0) return rfs;

  let text = freeText;
  for (const pattern of [...AMOUNTS, JOINED]) text = blank(text, pattern);
  const ocrs: string[] = [];
  for (const match of text.matchAll(/(?<!\d)\d{2,25}(?!\d)/g)) {
    const digits = match[0];
    // All zeros passes Luhn but is filler (e.g. "0000" in a grouped account number), not a reference.
    if (/^0+$/.test(digits) || !validateOcr(digits).ok || labelled(text, match.index)) continue;
    if (!ocrs.includes(digits)) ocrs.push(digits);
  }
  return ocrs;
}

/** Whether the words just before `index` say the number is a customer number, an amount … */
function labelled(text: string, index: number): boolean {
  const words = text.slice(Math.max(0, index - 40), index).toLowerCase().split(/[^a-zåäöü]+/).filter(Boolean);
  let last = words.pop();
  if (last !== undefined && LABEL_FILLERS.has(last)) last = words.pop();
  return last !== undefined && NOT_A_REFERENCE.has(last);
}

/** "RF18 5390 0754 7034": a valid RF reference, joined from its printed groups (the longest valid reading). */
function rfReferences(freeText: string): string[] {
  const tokens = freeText.split(/[\s,;:()/]+/).map((token) => token.replace(/^[.#]+|[.]+$/g, "")).filter(Boolean);
  const rfs: string[] = [];
  tokens.forEach((token, index) => {
    if (!/^RF\d{2}/i.test(token)) return;
    let candidate = "";
    let best: string | null = null;
    for (let next = index; next < tokens.length && /^[A-Za-z0-9]+$/.test(tokens[next]!); next++) {
      candidate += tokens[next]!.toUpperCase();
      if (candidate.length > 25) break;
      if (isValidRf(candidate)) best = candidate;
    }
    if (best && !rfs.includes(best)) rfs.push(best);
  });
  return rfs;
}
