// A fingerprint of what the payer saw when confirming: amounts, dates, references and lines.
// Stored with the confirmation, so a later dispute about "what was confirmed" can be settled
// by recomputing it from the invoice as it is then.
import { createHash } from "node:crypto";

export type InvoiceContentLine = {
  position: number;
  description: string;
  /** Decimal text as stored ("10.000") or a number; both hash alike. */
  quantity: string | number;
  unit: string | null;
  unitPrice: number;
  vatRate: string | number;
  net: number;
  vat: number;
};

export type InvoiceContent = {
  number: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  totalNet: number;
  totalVat: number;
  rounding: number;
  total: number;
  ocr: string;
  lines: readonly InvoiceContentLine[];
};

/** "10.500" → "10.5", "25.00" → "25", "-0.0" → "0": one spelling per value. */
export function canonicalDecimal(value: string | number): string {
  const text = String(value).trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) throw new RangeError(`Not a decimal: ${JSON.stringify(value)}`);
  const integer = match[2]!.replace(/^0+(?=\d)/, "");
  const fraction = (match[3] ?? "").replace(/0+$/, "");
  const sign = match[1] === "-" && (integer !== "0" || fraction !== "") ? "-" : "";
  return `${sign}${integer}${fraction ? `.${fraction}` : ""}`;
}

/**
 * "sha256:<hex>" over a canonical JSON array (fixed field order, lines by position, decimals
 * normalised), so the same content always gives the same hash whatever the row order or the
 * decimal spelling, and any change to a shown fact gives another.
 */
export function invoiceContentHash(content: InvoiceContent): string {
  const lines = [...content.lines]
    .sort((a, b) => a.position - b.position)
    .map((line) => [
      line.position,
      line.description,
      canonicalDecimal(line.quantity),
      line.unit,
      line.unitPrice,
      canonicalDecimal(line.vatRate),
      line.net,
      line.vat,
    ]);
  const canonical = JSON.stringify([
    1, // format version: bump when the fields change, so old hashes are not compared with new ones
    content.number,
    content.currency,
    content.issueDate,
    content.dueDate,
    content.totalNet,
    content.totalVat,
    content.rounding,
    content.total,
    content.ocr,
    lines,
  ]);
  return `sha256:${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
}
