// A use case's refusal in the clerk's language. The console's forms call the API's use cases,
// which word their refusals in English (problem detail, field messages); the kinds a clerk meets
// are recognised here and said from the sv/en dictionaries. An unknown wording stays in the API's
// English, so nothing is ever hidden. Keep the patterns in step with the use cases' texts
// (invoice-notice, invoice-changes, disputes, payments-api, bank-files/unapplied-payments).
import { t, type Locale, type MessageKey } from "~/i18n";

export type Refusal = { detail: string | null; errors: { field: string; message: string }[] };

type Known = { pattern: RegExp; key: MessageKey };

const DETAILS: Known[] = [
  { pattern: /^The customer has no billing contact with an email address/, key: "console.refusal.noRecipient" },
  { pattern: /^A credit note is not sent as an invoice/, key: "console.refusal.creditNoteNotSent" },
  { pattern: /^The invoice is cancelled: it takes no payments/, key: "console.refusal.cancelledNoPayments" },
  { pattern: /^The invoice is cancelled: nothing is owed/, key: "console.refusal.cancelledNothingOwed" },
  { pattern: /^The invoice is cancelled\.$/, key: "console.refusal.cancelled" },
  { pattern: /^A credit note cannot be changed/, key: "console.refusal.creditNoteUnchangeable" },
  { pattern: /^The payer confirmed this invoice/, key: "console.refusal.confirmed" },
  { pattern: /^Money was received for this invoice/, key: "console.refusal.moneyReceived" },
  { pattern: /^A payment of this invoice is in progress/, key: "console.refusal.paymentInProgress" },
  { pattern: /^The payer reported having paid this invoice/, key: "console.refusal.reportedPaid" },
  { pattern: /^This is a credit note: only invoices are credited/, key: "console.refusal.creditNoteNotCredited" },
  { pattern: /^The invoice is already fully credited/, key: "console.refusal.fullyCredited" },
  { pattern: /^Nothing was booked\. See errors for each part/, key: "console.refusal.nothingBooked" },
];

/** Field messages; a named group becomes the message's placeholder of the same name. */
const MESSAGES: Known[] = [
  { pattern: /^The dispute was already (?<status>\w+)/, key: "console.refusal.disputeDone" },
  { pattern: /^no invoice of yours has this id$/, key: "console.refusal.unknownInvoice" },
  { pattern: /^invoice (?<number>.+) is named twice/, key: "console.refusal.namedTwice" },
  { pattern: /^invoice (?<number>.+) is cancelled; it takes no payments/, key: "console.refusal.invoiceCancelled" },
  { pattern: /^(?<number>.+) is a credit note; it takes no payments/, key: "console.refusal.invoiceIsCreditNote" },
  { pattern: /^invoice (?<number>.+) is in (?<invoiceCurrency>[A-Z]{3}); this payment is in (?<currency>[A-Z]{3})/, key: "console.refusal.currency" },
  { pattern: /^(?<amount>.+) is more than invoice (?<number>.+)'s amount due, (?<due>.+); send overpayment/, key: "console.refusal.moreThanDue" },
  { pattern: /^the parts add up to (?<total>.+); at most the remaining (?<remaining>.+) can be placed/, key: "console.refusal.partsExceed" },
  { pattern: /^the payment is (?<state>\w+); only an open payment can be changed/, key: "console.refusal.notOpen" },
];

function say(locale: Locale, known: Known[], text: string): string {
  for (const { pattern, key } of known) {
    const match = pattern.exec(text);
    if (match) return t(locale, key, match.groups);
  }
  return text;
}

export function localRefusal(locale: Locale, refusal: Refusal): Refusal {
  return {
    detail: refusal.detail === null ? null : say(locale, DETAILS, refusal.detail),
    errors: refusal.errors.map((error) => ({ field: error.field, message: say(locale, MESSAGES, say(locale, DETAILS, error.message)) })),
  };
}
