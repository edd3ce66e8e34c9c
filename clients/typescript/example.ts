// Calling the Payer Portal API from TypeScript with types generated from its OpenAPI document
// (openapi-typescript) and openapi-fetch. The README shows this file; a test compiles it.
import createClient from "openapi-fetch";
import type { components, paths } from "./api";

type Invoice = components["schemas"]["Invoice"];

const api = createClient<paths>({
  baseUrl: "https://pay.example.com",
  headers: { Authorization: `Bearer ${process.env.PAYER_PORTAL_API_KEY}` },
});

export async function createInvoice(): Promise<Invoice | undefined> {
  const { data, error, response } = await api.POST("/api/v1/invoices", {
    params: { header: { "Idempotency-Key": "erp-F-1001" } },
    body: {
      number: "F-1001", currency: "SEK", issue_date: "2026-03-01", due_date: "2026-03-31",
      customer: { external_id: "K-1001", name: "Kund AB" },
      lines: [{ description: "Consulting", quantity: 10, unit_price: 95_000, vat_rate: 25, net: 950_000, vat: 237_500 }],
      total_net: 950_000, total_vat: 237_500, total: 1_187_500,
    },
  });
  if (error) {
    // problem+json: each wrong field by its path, e.g. lines[0].net
    for (const field of error.errors ?? []) console.error(response.status, field.field, field.message);
    return undefined;
  }
  return data;
}

export async function openInvoices(): Promise<string[]> {
  const { data } = await api.GET("/api/v1/invoices", { params: { query: { status: "open", limit: "50" } } });
  return (data?.data ?? []).map((invoice) => `${invoice.number}: ${invoice.amount_due} ${invoice.currency} due ${invoice.due_date}`);
}
