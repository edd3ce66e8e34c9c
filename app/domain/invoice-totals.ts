// Checks that an invoice adds up (security.md P6). Amounts are integer minor units; all
// arithmetic is done in bigint so no float rounding can hide or invent a mismatch.

export type InvoiceLineAmounts = {
  /** Up to 3 decimals, may be fractional (1.5 hours) or negative (returns). */
  quantity: number;
  /** Minor units, integer; negative for discounts. */
  unit_price: number;
  /** Percent, 0–100, up to 2 decimals. */
  vat_rate: number;
  net: number;
  vat: number;
};

export type InvoiceAmounts = {
  lines: readonly InvoiceLineAmounts[];
  total_net: number;
  total_vat: number;
  total: number;
  /** Cash rounding (öresavrundning) added to reach the payable total. */
  rounding?: number;
};

export type TotalsProblem = { path: (string | number)[]; message: string };

const QUANTITY_SCALE = 1000n;
const RATE_SCALE = 100n; // vat_rate × 100 = basis points of a percent

/** a / b rounded half away from zero (b > 0). */
function divRound(a: bigint, b: bigint): bigint {
  const quotient = a / b; // truncates toward zero
  const remainder = a % b;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < b) return quotient;
  return a < 0n ? quotient - 1n : quotient + 1n;
}

/** The number as an integer count of 1/scale, or null if it has more decimals than that. */
function scaled(value: number, scale: number): bigint | null {
  if (!Number.isFinite(value)) return null;
  const units = Math.round(value * scale);
  // Division is correctly rounded, so this holds exactly for every decimal with ≤ log10(scale) places.
  return Number.isSafeInteger(units) && units / scale === value ? BigInt(units) : null;
}

/** Line net = quantity × unit price, rounded half away from zero to whole minor units. */
export function expectedLineNet(quantity: number, unitPrice: number): bigint {
  const quantityUnits = scaled(quantity, 1000);
  if (quantityUnits === null || !Number.isSafeInteger(unitPrice)) throw new RangeError("Invalid quantity or unit price");
  return divRound(quantityUnits * BigInt(unitPrice), QUANTITY_SCALE);
}

/** VAT on a net amount at a percent rate, rounded half away from zero. */
export function expectedVat(net: bigint, vatRate: number): bigint {
  const rateUnits = scaled(vatRate, 100);
  if (rateUnits === null) throw new RangeError("Invalid VAT rate");
  return divRound(net * rateUnits, 100n * RATE_SCALE);
}

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/**
 * Returns every problem found, with API field paths; an empty array means the invoice adds up.
 * `currencyExponent` bounds the rounding line to half a major unit.
 */
export function checkInvoiceTotals(invoice: InvoiceAmounts, currencyExponent: number): TotalsProblem[] {
  if (!Number.isInteger(currencyExponent) || currencyExponent < 0) {
    throw new RangeError("currencyExponent must be a non-negative integer");
  }
  const problems: TotalsProblem[] = [];
  const report = (path: (string | number)[], message: string): void => {
    problems.push({ path, message });
  };
  const isMinor = (value: number, path: (string | number)[]): boolean => {
    if (Number.isSafeInteger(value)) return true;
    report(path, `${String(path[path.length - 1])} must be a whole number of minor units, got ${value}`);
    return false;
  };

  if (invoice.lines.length === 0) report(["lines"], "an invoice needs at least one line");

  let sumNet = 0n;
  let sumVat = 0n;
  const netByRate = new Map<number, bigint>();
  let linesUsable = true;

  invoice.lines.forEach((line, index) => {
    const at = (field: string): (string | number)[] => ["lines", index, field];
    const quantityOk = scaled(line.quantity, 1000) !== null;
    if (!quantityOk) report(at("quantity"), `quantity must be a number with at most 3 decimals, got ${line.quantity}`);
    const rateOk = scaled(line.vat_rate, 100) !== null && line.vat_rate >= 0 && line.vat_rate <= 100;
    if (!rateOk) report(at("vat_rate"), `vat_rate must be a percent from 0 to 100 with at most 2 decimals, got ${line.vat_rate}`);
    const priceOk = isMinor(line.unit_price, at("unit_price"));
    const netOk = isMinor(line.net, at("net"));
    const vatOk = isMinor(line.vat, at("vat"));
    if (!netOk || !vatOk || !rateOk) {
      linesUsable = false;
      return;
    }
    const net = BigInt(line.net);
    const vat = BigInt(line.vat);
    sumNet += net;
    sumVat += vat;
    netByRate.set(line.vat_rate, (netByRate.get(line.vat_rate) ?? 0n) + net);

    if (quantityOk && priceOk) {
      const wantNet = expectedLineNet(line.quantity, line.unit_price);
      if (wantNet !== net) report(at("net"), `net should be ${wantNet} (quantity × unit_price), got ${net}`);
    }
    // ERPs round VAT per line or per invoice, so a line may be off by one minor unit.
    const wantVat = expectedVat(net, line.vat_rate);
    if (abs(wantVat - vat) > 1n) {
      report(at("vat"), `vat should be ${wantVat} ± 1 (${line.vat_rate}% of net ${net}), got ${vat}`);
    }
  });

  const totalNetOk = isMinor(invoice.total_net, ["total_net"]);
  const totalVatOk = isMinor(invoice.total_vat, ["total_vat"]);
  const totalOk = isMinor(invoice.total, ["total"]);
  const rounding = invoice.rounding ?? 0;
  const roundingOk = isMinor(rounding, ["rounding"]);

  if (roundingOk) {
    // Cash rounding to whole major units moves the total by at most half a unit (x.50 rounds up).
    const majorUnit = 10n ** BigInt(currencyExponent);
    if (abs(BigInt(rounding)) * 2n > majorUnit) {
      const limit = currencyExponent === 0 ? "0 for this currency" : `${majorUnit / 2n} minor units`;
      report(["rounding"], `rounding must be at most half a major unit (${limit}), got ${rounding}`);
    }
  }

  if (linesUsable && totalNetOk && BigInt(invoice.total_net) !== sumNet) {
    report(["total_net"], `total_net should be ${sumNet} (sum of line net), got ${invoice.total_net}`);
  }
  if (linesUsable && totalVatOk) {
    let perRate = 0n;
    for (const [rate, net] of netByRate) perRate += expectedVat(net, rate);
    const given = BigInt(invoice.total_vat);
    if (given !== sumVat && given !== perRate) {
      const perRateText = perRate === sumVat ? "" : ` or ${perRate} (VAT per rate on summed net)`;
      report(["total_vat"], `total_vat should be ${sumVat} (sum of line vat)${perRateText}, got ${given}`);
    }
  }
  if (totalNetOk && totalVatOk && totalOk && roundingOk) {
    const expected = BigInt(invoice.total_net) + BigInt(invoice.total_vat) + BigInt(rounding);
    if (BigInt(invoice.total) !== expected) {
      report(["total"], `total should be ${expected} (total_net + total_vat + rounding), got ${invoice.total}`);
    }
  }
  return problems;
}
