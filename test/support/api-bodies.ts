// Request bodies for API tests: an invoice that adds up (one line, 100.00 + 25 % VAT), issued
// today and due in 30 days, with a fresh number and customer unless the test names them.

/** YYYY-MM-DD, `days` from now (negative: in the past). */
export const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const fresh = () => Math.random().toString(36).slice(2, 8);

/** A valid `POST /api/v1/invoices` body; `overrides` replace whole fields. */
export const apiInvoiceBody = (overrides: Record<string, unknown> = {}) => ({
  number: `N-${fresh()}`,
  currency: "SEK",
  issue_date: daysFromToday(0),
  due_date: daysFromToday(30),
  customer: { external_id: `C-${fresh()}`, name: "Kund AB" },
  lines: [{ description: "Konsulttimmar", quantity: 1, unit_price: 10000, vat_rate: 25, net: 10000, vat: 2500 }],
  total_net: 10000,
  total_vat: 2500,
  total: 12500,
  ...overrides,
});
