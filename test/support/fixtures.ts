// Small, explicit rows for portal tests: a supplier, a customer, an invoice that adds up, and a
// signed link. Written with drizzle directly so the tests do not depend on the API's use cases.
import { customers, invoiceLines, invoices } from "../../db/schema";
import type { Db } from "../../db/client";
import type { Config } from "~/platform/config.server";
import { makeOcrFromNumber } from "~/domain/ocr";
import { newPublicId } from "~/domain/public-id";
import { createSupplier, type Supplier, type SupplierChanges } from "~/features/suppliers/db/suppliers.server";
import { issueInvoiceLink } from "~/features/links/links.server";

export type InvoiceOverrides = Partial<{
  number: string;
  issueDate: string;
  dueDate: string;
  amountPaid: number;
  cancelledAt: Date | null;
  paidAt: Date | null;
  disputed: boolean;
}>;

export type PortalFixture = {
  supplier: Supplier;
  customerId: string;
  invoice: { id: string; supplierId: string; linkVersion: number; number: string; total: number };
  token: string;
  linkId: string;
};

/** 10 h at 950.00 (25 %) + 2 books at 199.00 (6 %), cash-rounded to 12 297.00 SEK. */
export const STANDARD_INVOICE = {
  lines: [
    { description: "Consulting, March", quantity: "10.000", unit: "h", unitPrice: 95_000, vatRate: "25.00", net: 950_000, vat: 237_500 },
    { description: "Book: Payment terms", quantity: "2.000", unit: "pcs", unitPrice: 19_900, vatRate: "6.00", net: 39_800, vat: 2_388 },
  ],
  totalNet: 989_800,
  totalVat: 239_888,
  rounding: 12,
  total: 1_229_700,
} as const;

let sequence = 1000;

/** YYYY-MM-DD plus a number of calendar days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function tokenFromUrl(url: string): string {
  const token = new URL(url).pathname.split("/")[2];
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

export async function createSupplierWithCustomer(
  db: Db,
  options: { supplier?: SupplierChanges; customerLanguage?: "sv" | "en" | null } = {},
): Promise<{ supplier: Supplier; customerId: string }> {
  const supplier = await createSupplier(db, {
    name: "Nordljus Konsult AB",
    orgNumber: "556677-8899",
    vatNumber: "SE556677889901",
    bankgiro: "5050-1055",
    timeZone: "Europe/Stockholm",
    language: "sv",
    ...options.supplier,
  });
  const customerId = newPublicId("cus");
  await db.insert(customers).values({
    id: customerId,
    supplierId: supplier.id,
    name: "Fjällbacka Bygg AB",
    language: options.customerLanguage ?? null,
  });
  return { supplier, customerId };
}

export async function createInvoiceWithLink(
  db: Db,
  config: Config,
  owner: { supplier: Supplier; customerId: string },
  overrides: InvoiceOverrides = {},
): Promise<PortalFixture> {
  sequence += 1;
  const id = newPublicId("inv");
  const number = overrides.number ?? String(sequence);
  const { lines, ...totals } = STANDARD_INVOICE;
  const invoice = await db.transaction(async (tx) => {
    await tx.insert(invoices).values({
      id,
      supplierId: owner.supplier.id,
      customerId: owner.customerId,
      number,
      currency: "SEK",
      issueDate: overrides.issueDate ?? "2026-03-01",
      dueDate: overrides.dueDate ?? "2026-03-31",
      ...totals,
      amountPaid: overrides.amountPaid ?? 0,
      ocr: makeOcrFromNumber(sequence),
      disputed: overrides.disputed ?? false,
      cancelledAt: overrides.cancelledAt ?? null,
      paidAt: overrides.paidAt ?? null,
    });
    await tx.insert(invoiceLines).values(lines.map((line, index) => ({ ...line, invoiceId: id, position: index + 1 })));
    return { id, supplierId: owner.supplier.id, linkVersion: 1 };
  });
  const link = await issueInvoiceLink(db, config, invoice, { actor: "system", reason: "created" });
  return {
    supplier: owner.supplier,
    customerId: owner.customerId,
    invoice: { ...invoice, number, total: totals.total },
    token: tokenFromUrl(link.url),
    linkId: link.linkId,
  };
}

/** A fresh supplier, customer and invoice with a working link. */
export async function createPortalFixture(
  db: Db,
  config: Config,
  options: { supplier?: SupplierChanges; customerLanguage?: "sv" | "en" | null; invoice?: InvoiceOverrides } = {},
): Promise<PortalFixture> {
  const owner = await createSupplierWithCustomer(db, options);
  return createInvoiceWithLink(db, config, owner, options.invoice);
}
