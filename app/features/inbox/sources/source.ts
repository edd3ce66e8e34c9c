// One source of inbox items: the kinds it feeds and what a page of its items shows. Items are
// opened by the source's own use case (openInboxItem in its transaction); a source module only
// describes them. Adding a source (say unmatched bank payments): a kind in app/domain/inbox.ts,
// a module here, its line in sources/index.server.ts, openInboxItem where its rows are written.
import type { Db } from "../../../../db/client";
import type { InboxKind } from "~/domain/inbox";

export type DisputeDetail = {
  type: "dispute";
  reason: string;
  message: string | null;
  lines: number[] | null;
  reporterName: string | null;
  reporterEmail: string | null;
  deliveryDescription: string | null;
  status: "open" | "accepted" | "rejected";
  /** What the payer was told, once answered. */
  answer: { message: string | null; creditNoteReference: string | null; correctedInvoiceNumber: string | null } | null;
};

export type PaymentReportDetail = { type: "payment_report"; paidOn: string; amount: number; currency: string; method: string };

export type FailingAddressDetail = { type: "failing_address"; address: string; reason: "bounced" | "complained" | null; detail: string | null; lifted: boolean };

export type InboxDetail = DisputeDetail | PaymentReportDetail | FailingAddressDetail;

export type InboxSource = {
  kinds: readonly InboxKind[];
  /** The details of a page's items of this source, by source id (missing ids: the row is gone). */
  describe: (db: Db, supplierId: string, sourceIds: string[]) => Promise<Map<string, InboxDetail>>;
};
