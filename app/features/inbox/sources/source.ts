// One source of inbox items: the kinds it feeds and what a page of its items shows. Items are
// opened by the source's own use case (openInboxItem in its transaction); a source module only
// describes them. Adding a source (say unmatched bank payments): a kind in app/domain/inbox.ts,
// a module here, its line in sources/index.server.ts, openInboxItem where its rows are written.
import type { Db } from "../../../../db/client";
import type { InboxKind } from "~/domain/inbox";
import type { UnappliedReason, UnappliedState } from "~/domain/unapplied-payments";

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

export type UnappliedPaymentDetail = {
  type: "unapplied_payment";
  state: UnappliedState;
  /** The queue row's version: the console's forms send it back, so a stale form changes nothing. */
  version: number;
  reason: UnappliedReason;
  reasonDetail: string;
  amount: number;
  remaining: number;
  currency: string;
  paidOn: string;
  payerName: string | null;
  payerAccount: string | null;
  references: string[];
  freeText: string | null;
  allocations: { invoiceNumber: string; amount: number }[];
  /** "I have paid" reports that fit this payment, and why. */
  proposals: { invoiceId: string; invoiceNumber: string; reason: string }[];
  note: string | null;
};

export type InboxDetail = DisputeDetail | PaymentReportDetail | FailingAddressDetail | UnappliedPaymentDetail;

export type InboxSource = {
  kinds: readonly InboxKind[];
  /** The details of a page's items of this source, by source id (missing ids: the row is gone). */
  describe: (db: Db, supplierId: string, sourceIds: string[]) => Promise<Map<string, InboxDetail>>;
};
