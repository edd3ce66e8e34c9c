// The VAT summary of an invoice (per rate), shown on the payer's page and printed in the PDF.
import { sumMinor } from "./money";

export type VatGroup = { rate: string; net: number; vat: number };

/** Net and VAT summed per VAT rate, highest rate first, as the supplier sent them. */
export function groupVatByRate(lines: readonly { vatRate: string; net: number; vat: number }[]): VatGroup[] {
  const groups = new Map<string, { nets: number[]; vats: number[] }>();
  for (const line of lines) {
    const group = groups.get(line.vatRate) ?? { nets: [], vats: [] };
    group.nets.push(line.net);
    group.vats.push(line.vat);
    groups.set(line.vatRate, group);
  }
  return [...groups]
    .map(([rate, group]) => ({ rate, net: sumMinor(group.nets), vat: sumMinor(group.vats) }))
    .sort((a, b) => Number(b.rate) - Number(a.rate));
}
