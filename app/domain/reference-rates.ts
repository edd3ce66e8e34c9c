// The Riksbank's reference rate (räntelagen 9 §) is fixed for each calendar half-year, from
// 1 January and 1 July. Rates are basis points (1 % = 100) so that interest stays integer maths.

/** `from` is the first day of the half-year the rate applies to: YYYY-01-01 or YYYY-07-01. */
export type ReferenceRate = { from: string; rateBp: number };

/**
 * Only the half-years confirmed in ../shared/reference/payment-formats.md §6. Later ones (2025,
 * 2026, …) are not confirmed there, so they come from REFERENCE_RATES rather than a guess here.
 */
export const KNOWN_REFERENCE_RATES: readonly ReferenceRate[] = Object.freeze([
  { from: "2023-07-01", rateBp: 350 }, // riksbank.se, 2023-07-03: "Referensräntan fastställd till 3,50 procent"
  { from: "2024-01-01", rateBp: 400 }, // capway.se, 2024-01-02
]);

const HALF_YEAR_START = /^(\d{4})-(01|07)-01$/;
const DATE = /^(\d{4})-(\d{2})-\d{2}$/;
const PERCENT = /^(-)?(\d{1,2})(?:\.(\d{1,2}))?$/;
const [MIN_BP, MAX_BP] = [-500, 3000];

/** The first day of the half-year a YYYY-MM-DD date falls in. */
export function halfYearStart(date: string): string {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`Expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return `${match[1]}-${Number(match[2]) <= 6 ? "01" : "07"}-01`;
}

/** The first day of the next half-year. */
export function nextHalfYearStart(date: string): string {
  const start = halfYearStart(date);
  const year = Number(start.slice(0, 4));
  return start.endsWith("-01-01") ? `${year}-07-01` : `${year + 1}-01-01`;
}

/**
 * Parses "2026-01-01:2.00,2026-07-01:1.75" (half-year start, rate in percent with at most two
 * decimals). Throws a RangeError naming the first bad entry.
 */
export function parseReferenceRates(text: string): ReferenceRate[] {
  const rates: ReferenceRate[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const parts = entry.split(":").map((part) => part.trim());
    const [from = "", percent = ""] = parts;
    if (parts.length !== 2 || !HALF_YEAR_START.test(from)) {
      throw new RangeError(`"${entry}": expected <half-year start>:<percent> such as 2026-01-01:2.00 (a half-year starts on 01-01 or 07-01)`);
    }
    const match = PERCENT.exec(percent);
    if (!match) throw new RangeError(`"${entry}": the rate must be a percentage such as 2.00 or -0.50`);
    const bp = (Number(match[2]) * 100 + Number((match[3] ?? "").padEnd(2, "0"))) * (match[1] ? -1 : 1);
    // The Riksbank's rate has stayed within a few percent either side of zero; more is a typo.
    if (bp < MIN_BP || bp > MAX_BP) throw new RangeError(`"${entry}": the rate must be between -5.00 and 30.00 percent`);
    if (rates.some((rate) => rate.from === from)) throw new RangeError(`"${entry}": ${from} is given twice`);
    rates.push({ from, rateBp: bp || 0 }); // "-0.00" is 0, not -0
  }
  return sortRates(rates);
}

/** The committed table with configured rates added; a configured rate wins for its half-year. */
export function mergeReferenceRates(base: readonly ReferenceRate[], overrides: readonly ReferenceRate[]): ReferenceRate[] {
  const byStart = new Map(base.map((rate) => [rate.from, rate]));
  for (const rate of overrides) byStart.set(rate.from, rate);
  return sortRates([...byStart.values()]);
}

/**
 * The reference rate for the half-year containing `date`, or undefined when it is not known. A
 * rate is never carried over into a later half-year: a stale rate would state a wrong amount.
 */
export function referenceRateOn(rates: readonly ReferenceRate[], date: string): number | undefined {
  const start = halfYearStart(date);
  return rates.find((rate) => rate.from === start)?.rateBp;
}

function sortRates(rates: ReferenceRate[]): ReferenceRate[] {
  return rates.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
