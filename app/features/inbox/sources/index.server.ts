// Every source of inbox items, by kind.
import type { InboxKind } from "~/domain/inbox";
import type { InboxSource } from "./source";
import { disputeSource } from "./disputes.server";
import { paymentReportSource } from "./payment-reports.server";
import { failingAddressSource } from "./failing-addresses.server";
import { unappliedPaymentSource } from "./unapplied-payments.server";

export const INBOX_SOURCES: readonly InboxSource[] = [disputeSource, paymentReportSource, failingAddressSource, unappliedPaymentSource];

export function sourceOf(kind: InboxKind): InboxSource {
  const source = INBOX_SOURCES.find((candidate) => candidate.kinds.includes(kind));
  if (!source) throw new Error(`no inbox source for ${kind}`);
  return source;
}
