// The files of bench/bank-files.ts, built in a process of their own: the bench's peak RSS is then
// the booking's (a worker's), not that of building 100,000 payments' records in memory first.
// `tsx bench/bank-files-generate.ts <dir> <payments> <camt payments>` writes bgmax.txt and camt.xml.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeOcrFromNumber } from "../app/domain/ocr";
import { BANKGIRO, IBAN, bgmaxFile, camtFile, type BgMaxPayment, type CamtPayment } from "../test/integration/bank-files/bank-file-helpers";

const [dir, payments, camtPayments] = process.argv.slice(2);
const PAYMENTS = Number(payments);
const CAMT_PAYMENTS = Number(camtPayments);
const TOTAL = 100_000; // öre, as the bench's invoices

const ocrOf = (n: number) => makeOcrFromNumber(1_000_000 + n);
/** Valid OCRs no invoice has. */
const unknownOcr = (n: number) => makeOcrFromNumber(9_000_000 + n);

/**
 * The BgMax mix, by payment j (0…N-1) and j % 100; each payment names invoice j unless told:
 *  0–69 the full amount · 70–79 split by TK22 amounts over j and j+10 (whose own payment names an
 *  unknown OCR) · 80–89 an unknown OCR · 90–94 half the amount · 95–96 TK22 for j, TK23 deducting
 *  j+1 (left open) · 97 a TK21 credit-note deduction · 98–99 a second payment of j-30 (paid in full: duplicate).
 */
function bgmaxPayment(j: number): BgMaxPayment {
  const serial = j + 1;
  const kind = j % 100;
  if (kind < 70) return { refs: [ocrOf(j)], amount: TOTAL, serial, ...(j % 10 === 0 ? { payerName: "Fjällbacka Bygg AB" } : {}) };
  if (kind < 80) {
    return { refs: [], amount: 2 * TOTAL, serial, extra: [{ type: "22", ref: ocrOf(j), amount: TOTAL }, { type: "22", ref: ocrOf(j + 10), amount: TOTAL }] };
  }
  if (kind < 90) return { refs: [unknownOcr(j)], amount: TOTAL, serial };
  if (kind < 95) return { refs: [ocrOf(j)], amount: TOTAL / 2, serial };
  if (kind < 97) {
    return { refs: [], amount: TOTAL - 20_000, serial, extra: [{ type: "22", ref: ocrOf(j), amount: TOTAL }, { type: "23", ref: ocrOf(j + 1), amount: 20_000 }] };
  }
  if (kind === 97) return { refs: [ocrOf(j)], amount: 20_000, serial, deduction: true };
  return { refs: [ocrOf(j - 30)], amount: TOTAL, serial };
}

/** camt.054 pays invoices after the BgMax range: full payments, every tenth an unknown reference. */
function camtPayment(k: number): CamtPayment {
  const ref = k % 10 === 9 ? unknownOcr(PAYMENTS + k) : ocrOf(PAYMENTS + k);
  return { ref, amount: (TOTAL / 100).toFixed(2), currency: "SEK", id: `CAMT-${k + 1}` };
}

writeFileSync(join(dir!, "bgmax.txt"), bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: Array.from({ length: PAYMENTS }, (_, j) => bgmaxPayment(j)) }));
writeFileSync(join(dir!, "camt.xml"), camtFile({ iban: IBAN, date: "2026-03-20", payments: Array.from({ length: CAMT_PAYMENTS }, (_, k) => camtPayment(k)) }));
