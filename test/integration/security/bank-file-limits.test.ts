// Security D6: the bank-file readers refuse what is beyond their limits (size, XML depth, payment
// count) with a 422 naming the limit, and a valid file within them is read and booked whatever its
// size: no stack overflow, no statement with more parameters than PostgreSQL takes, no 500.
import { describe, expect, it } from "vitest";
import { BANK_FILE_LIMITS } from "~/domain/bank-file";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { ledgerSnapshot } from "../payments/payments-test-helpers";
import { BANKGIRO, bankWorld, IBAN, importBankFileNow, type BankWorld } from "../bank-files/bank-file-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;

const NOW = new Date("2026-03-21T09:00:00Z");
const services = () => ({ ...testContext(database.get(), config).app, now: () => NOW });
const run = (world: BankWorld, bytes: Uint8Array, dryRun = false) =>
  importBankFileNow(services(), { supplierId: world.supplier.id, bytes, dryRun });

const num = (value: number | string, width: number) => String(value).padStart(width, "0");
const record = (text: string) => text.padEnd(80, " ");

/** A valid BgMax file of `count` payments of 1.00 SEK, each naming its own OCR (no invoice has them). */
function largeBgMax(count: number): Buffer {
  const lines = [record(`01${"BGMAX".padEnd(20)}0120260320080000000000P`), record(`05${num(BANKGIRO.replace("-", ""), 10)}${" ".repeat(10)}SEK`)];
  for (let index = 0; index < count; index++) lines.push(record(`20${num(0, 10)}${String(9_000_000 + index).padStart(25)}${num(100, 18)}21${num(index + 1, 12)}0`));
  lines.push(record(`15${num("990012345678", 35)}20260320${num(1, 5)}${num(100 * count, 18)}SEK${num(count, 8)}`));
  lines.push(record(`70${num(count, 8)}${num(0, 8)}${num(0, 8)}${num(1, 8)}`));
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1");
}

const camt = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-03-20T07:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id></Acct>${body}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;

describe("bank files beyond the readers' limits: a 422 naming the limit, nothing written", () => {
  it.each([
    ["camt.054 nested 10,000 levels deep", () => Buffer.from(camt(`${"<X>".repeat(10_000)}${"</X>".repeat(10_000)}`)), /depth limit/],
    ["camt.054 with more transactions than the count limit", () =>
      Buffer.from(camt(`<Ntry><Amt Ccy="SEK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-20</Dt></BookgDt><AcctSvcrRef>E</AcctSvcrRef><NtryDtls>${
        `<TxDtls><Amt Ccy="SEK">1</Amt></TxDtls>`.repeat(BANK_FILE_LIMITS.payments + 1)}</NtryDtls></Ntry>`)), /payment count limit/],
    ["BgMax over 20 MB", () => Buffer.concat([largeBgMax(1), Buffer.alloc(BANK_FILE_LIMITS.bytes, 0x20)]), /at most 20971520 bytes \(size limit\)/],
  ])("%s", async (_name, build, limit) => {
    const world = await bankWorld(db(), config, 1);
    await db().execute(`update suppliers set iban = '${IBAN}' where id = '${world.supplier.id}'`);
    const before = await ledgerSnapshot(db());
    const result = await run(world, build());
    expect(result.ok ? result.body : result.problem).toMatchObject({ status: 422, errors: [{ message: expect.stringMatching(limit) }] });
    expect(await ledgerSnapshot(db())).toEqual(before);
  }, 60_000);
});

describe("a valid large file within the limits", () => {
  it("reads and books a 20 MB BgMax with 255,745 payments (dry run) without a 500", async () => {
    const world = await bankWorld(db(), config, 1);
    const bytes = largeBgMax(255_745);
    expect(bytes.length).toBeLessThanOrEqual(BANK_FILE_LIMITS.bytes);
    const started = Date.now();
    const result = await run(world, bytes, true);
    if (!result.ok) throw new Error(JSON.stringify(result.problem).slice(0, 500));
    expect(result.body).toMatchObject({ payments: 255_745, booked: 0, already_imported: 0 });
    // Every payment is flagged; the report keeps the first 1,000 of a kind and counts them all.
    expect(result.body).toMatchObject({ flag_counts: { unmatched: 255_745 }, complete: false });
    expect(result.body.flags.unmatched).toHaveLength(1_000);
    console.info(`D6: valid BgMax of ${bytes.length} bytes, 255,745 payments → read and matched in ${Date.now() - started} ms, 0 × 500`);
  }, 180_000);
});
