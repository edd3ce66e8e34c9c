// Problem reports and disputes with the invoice, and delivery problems: the payer's reports in
// the disputes table (features/invoices). Answered through resolveDisputeFromApi, the one use case
// that answers a dispute (API and console alike).
import { disputesByIds } from "../db/source-rows.server";
import type { InboxSource } from "./source";

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

export const disputeSource: InboxSource = {
  kinds: ["dispute", "delivery_problem"],
  async describe(db, supplierId, ids) {
    const rows = await disputesByIds(db, supplierId, ids);
    return new Map(
      rows.map((row) => [
        row.id,
        {
          type: "dispute",
          reason: row.reason,
          message: row.message,
          lines: row.linePositions,
          reporterName: row.reporterName,
          reporterEmail: row.reporterEmail,
          deliveryDescription: row.deliveryDescription,
          status: row.status,
          answer: row.resolution
            ? {
                message: text(row.resolution.message),
                creditNoteReference: text(row.resolution.credit_note_reference),
                correctedInvoiceNumber: text(row.resolution.corrected_invoice_number),
              }
            : null,
        },
      ]),
    );
  },
};
