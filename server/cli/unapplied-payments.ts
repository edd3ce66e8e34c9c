// The queue of unapplied bank payments from a terminal (`npm run cli -- payments:unapplied …`,
// `payments:allocate …`): the same use cases as /api/v1/unapplied-payments, as the operator.
import type { Db } from "../../db/client";
import { parseAmountInput } from "~/domain/amount-input";
import { isSupportedCurrency } from "~/domain/money";
import { UNAPPLIED_STATES } from "~/domain/unapplied-payments";
import type { UnappliedPaymentJson } from "~/features/bank-files/api.json.server";
import { moneyText } from "~/features/bank-files/bank-file-booking.server";
import { allocateUnappliedPayment, getUnappliedPayment, listUnappliedPage } from "~/features/bank-files/unapplied-payments.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import { CliError, EXIT, fail, jsonOption, noSupplier, print, type Command, type Values } from "./support";

/** One line per payment, then its proposals, indented: what a person needs to decide. */
export function queueLines(items: readonly UnappliedPaymentJson[]): string[] {
  if (items.length === 0) return ["No unapplied payments."];
  const lines = [`${"id".padEnd(26)}  ${"paid on".padEnd(10)}  ${"remaining".padStart(16)}  ${"reason".padEnd(14)}  payer, references`];
  for (const item of items) {
    const payer = [item.payer.name, item.payer.account && `bankgiro ${item.payer.account}`, ...item.payer.references].filter(Boolean).join(", ");
    lines.push(`${item.id.padEnd(26)}  ${item.paid_on}  ${moneyText(item.remaining, item.currency).padStart(16)}  ${item.reason.padEnd(14)}  ${payer || "-"}`);
    for (const proposal of item.proposals) lines.push(`${" ".repeat(28)}proposed: ${proposal.invoice_number} (${proposal.invoice_id}): ${proposal.reason}`);
  }
  return lines;
}

/** `--invoice inv_…=12297.00`, once per part; the amount in the payment's currency, as printed. */
export function partsFrom(flags: readonly string[], currency: string, overpayment: boolean): { invoice_id: string; amount: number; overpayment?: true }[] {
  return flags.map((flag) => {
    const [invoiceId, text] = flag.split("=", 2);
    const amount = text !== undefined && isSupportedCurrency(currency) ? parseAmountInput(text, currency) : null;
    if (!invoiceId || amount === null) throw new CliError(`--invoice must be <invoice_id>=<amount in ${currency}>, e.g. inv_…=12297.00; got "${flag}"`, EXIT.usage);
    return { invoice_id: invoiceId, amount, ...(overpayment ? { overpayment: true as const } : {}) };
  });
}

const needsSupplier = (name: string) => (values: Values) => {
  if (typeof values.supplier !== "string") throw new CliError(`${name} needs --supplier <supplier_id>`, EXIT.usage);
};

export const UNAPPLIED_PAYMENT_COMMANDS: Record<string, Command> = {
  "payments:unapplied": {
    args: [],
    options: { supplier: { type: "string" }, state: { type: "string" }, ...jsonOption },
    usage: `payments:unapplied --supplier <id> [--state ${UNAPPLIED_STATES.join("|")}] [--json]   (bank payments waiting; open by default)`,
    check: needsSupplier("payments:unapplied"),
    run: async (db: Db, values) => {
      const supplierId = String(values.supplier);
      if (!(await getSupplier(db, supplierId))) return noSupplier(supplierId);
      const items: UnappliedPaymentJson[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ state: typeof values.state === "string" ? values.state : "open", limit: "100", ...(cursor ? { cursor } : {}) });
        const result = await listUnappliedPage(db, { supplierId, query });
        if (!result.ok) return fail((result.problem.errors ?? []).map((error) => `--${error.field}: ${error.message}`).join("; "));
        items.push(...result.page.data);
        cursor = result.page.next_cursor;
      } while (cursor);
      if (values.json) return print(items);
      for (const line of queueLines(items)) console.log(line);
      return EXIT.ok;
    },
  },
  "payments:allocate": {
    args: ["unapplied_id"],
    options: { supplier: { type: "string" }, invoice: { type: "string", multiple: true }, overpayment: { type: "boolean" }, note: { type: "string" }, ...jsonOption },
    usage: "payments:allocate <unapplied_id> --supplier <id> --invoice <invoice_id>=<amount> [--invoice …] [--overpayment] [--note <text>] [--json]",
    check: (values) => {
      needsSupplier("payments:allocate")(values);
      if (!Array.isArray(values.invoice) || values.invoice.length === 0) throw new CliError("payments:allocate needs --invoice <invoice_id>=<amount>", EXIT.usage);
    },
    run: async (db: Db, values, [id]) => {
      const supplierId = String(values.supplier);
      if (!(await getSupplier(db, supplierId))) return noSupplier(supplierId);
      const item = await getUnappliedPayment(db, supplierId, id!);
      if (!item) return fail(`No unapplied payment ${id} of supplier ${supplierId}`);
      const parts = partsFrom((values.invoice as string[]).map(String), item.currency, values.overpayment === true);
      const note = typeof values.note === "string" ? { note: values.note } : {};
      // The version just read: another person's change in between is refused, as in the API.
      const result = await allocateUnappliedPayment(db, { supplierId, id: item.id, actor: OPERATOR, input: { version: item.version, parts, ...note } });
      if (!result.ok) {
        if (values.json) print(result.problem);
        for (const error of result.problem.errors ?? []) console.error(`error: ${error.field}: ${error.message}`);
        if (!result.problem.errors) console.error(`error: ${result.problem.detail ?? result.problem.title}`);
        console.error("Nothing was booked.");
        return EXIT.failed;
      }
      if (values.json) return print(result.body);
      for (const allocation of result.body.allocations.slice(-parts.length)) {
        console.log(`booked ${moneyText(allocation.amount, item.currency)} on ${allocation.invoice_number} (${allocation.payment_id})`);
      }
      console.log(`${item.id}: ${result.body.state}, ${moneyText(result.body.remaining, item.currency)} remaining`);
      return EXIT.ok;
    },
  },
};
