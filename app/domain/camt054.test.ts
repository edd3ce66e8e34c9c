import { describe, expect, it } from "vitest";
import { BANK_FILE_LIMITS, type BankFile, type BankFileError } from "./bank-file";
import { parseCamt054 } from "./camt054";

const bytes = (xml: string) => new TextEncoder().encode(xml);

function parsed(xml: string): BankFile {
  const result = parseCamt054(bytes(xml));
  if (!result.ok) throw new Error(result.errors.map((error) => `${error.position}: ${error.message}`).join("\n"));
  return result.file;
}

function errorsOf(input: string | Uint8Array): BankFileError[] {
  const result = parseCamt054(typeof input === "string" ? bytes(input) : input);
  if (result.ok) throw new Error("expected the file to be refused");
  return result.errors;
}

const BANKGIRO = "<Othr><Id>5050-1055</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr>";

const document = (notifications: string, version = "camt.054.001.02") => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${version}">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-02T06:15:00</CreDtTm></GrpHdr>
    ${notifications}
  </BkToCstmrDbtCdtNtfctn>
</Document>`;

const notification = (entries: string, account = BANKGIRO) =>
  `<Ntfctn><Id>N-1</Id><Acct><Id>${account}</Id><Ccy>SEK</Ccy></Acct>${entries}</Ntfctn>`;

type EntryParts = { amount: string; direction: string; status: string; reversal: string; date: string; ref: string; details: string };

/** One Ntry; each part is the raw XML for that element, so a test can drop or break any of them. */
const entry = (parts: Partial<EntryParts> = {}) => {
  const p: EntryParts = {
    amount: '<Amt Ccy="SEK">100.00</Amt>',
    direction: "<CdtDbtInd>CRDT</CdtDbtInd>",
    status: "<Sts>BOOK</Sts>",
    reversal: "",
    date: "<BookgDt><Dt>2026-03-02</Dt></BookgDt>",
    ref: "<AcctSvcrRef>E-1</AcctSvcrRef>",
    details: "",
    ...parts,
  };
  return `<Ntry>${p.amount}${p.direction}${p.reversal}${p.status}${p.date}<ValDt><Dt>2026-03-02</Dt></ValDt>${p.ref}${p.details ? `<NtryDtls>${p.details}</NtryDtls>` : ""}</Ntry>`;
};

const scor = (ref: string) => `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd>`;

/** Swedish-bank style v02: bankgiro account, two entries; amounts under AmtDtls/TxAmt. */
const SWEDISH_V02 = document(
  notification(
    entry({
      amount: '<Amt Ccy="SEK">2400.00</Amt>',
      ref: "<AcctSvcrRef>20260302-0001</AcctSvcrRef>",
      details: `
        <TxDtls>
          <Refs><AcctSvcrRef>BG-778812</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <AmtDtls><TxAmt><Amt Ccy="SEK">1000.00</Amt></TxAmt></AmtDtls>
          <RltdPties><Dbtr><Nm>Åkeri Norr AB</Nm></Dbtr></RltdPties>
          <RmtInf>${scor("655969")}</RmtInf>
        </TxDtls>
        <TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <AmtDtls><TxAmt><Amt Ccy="SEK">1400.00</Amt></TxAmt></AmtDtls>
          <RltdPties><Dbtr><Nm>Bygg &amp; Plåt i Storåker</Nm></Dbtr></RltdPties>
          <RmtInf>${scor("00657866")}${scor("658765")}</RmtInf>
        </TxDtls>`,
    }) +
      entry({
        amount: '<Amt Ccy="SEK">750.50</Amt>',
        ref: "<AcctSvcrRef>20260302-0002</AcctSvcrRef>",
        details: `
        <TxDtls>
          <Refs><EndToEndId>E2E-99</EndToEndId></Refs>
          <RltdPties><Dbtr><Nm>Färg &amp; Form HB</Nm></Dbtr></RltdPties>
          <RmtInf><Ustrd>Faktura 2026-17</Ustrd><Ustrd>RF18 5390 0754 7034</Ustrd></RmtInf>
        </TxDtls>`,
      }),
  ),
);

/** v08 with namespace prefixes: IBAN account, Sts/Cd, BookgDt/DtTm, TxDtls/Amt, Dbtr/Pty/Nm. */
const SEPA_V08 = `<?xml version="1.0" encoding="UTF-8"?>
<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <ns2:BkToCstmrDbtCdtNtfctn>
    <ns2:GrpHdr><ns2:MsgId>M8</ns2:MsgId><ns2:CreDtTm>2026-03-03T07:00:00+01:00</ns2:CreDtTm></ns2:GrpHdr>
    <ns2:Ntfctn>
      <ns2:Id>N8</ns2:Id>
      <ns2:Acct><ns2:Id><ns2:IBAN>se45 5000 0000 0583 9825 7466</ns2:IBAN></ns2:Id></ns2:Acct>
      <ns2:Ntry>
        <ns2:Amt Ccy="EUR">1250.00</ns2:Amt>
        <ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
        <ns2:Sts><ns2:Cd>BOOK</ns2:Cd></ns2:Sts>
        <ns2:BookgDt><ns2:DtTm>2026-03-03T09:30:00+01:00</ns2:DtTm></ns2:BookgDt>
        <ns2:NtryDtls>
          <ns2:TxDtls>
            <ns2:Refs><ns2:AcctSvcrRef>SEPA-1</ns2:AcctSvcrRef><ns2:EndToEndId>INV-7</ns2:EndToEndId></ns2:Refs>
            <ns2:Amt Ccy="EUR">1000.00</ns2:Amt>
            <ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
            <ns2:RltdPties><ns2:Dbtr><ns2:Pty><ns2:Nm>Müller GmbH</ns2:Nm></ns2:Pty></ns2:Dbtr></ns2:RltdPties>
            <ns2:RmtInf><ns2:Strd><ns2:CdtrRefInf>
              <ns2:Tp><ns2:CdOrPrtry><ns2:Cd>SCOR</ns2:Cd></ns2:CdOrPrtry><ns2:Issr>ISO</ns2:Issr></ns2:Tp>
              <ns2:Ref>rf18 5390 0754 7034</ns2:Ref>
            </ns2:CdtrRefInf></ns2:Strd></ns2:RmtInf>
          </ns2:TxDtls>
          <ns2:TxDtls>
            <ns2:Refs><ns2:AcctSvcrRef>SEPA-2</ns2:AcctSvcrRef></ns2:Refs>
            <ns2:Amt Ccy="EUR">250</ns2:Amt>
            <ns2:RmtInf><ns2:Ustrd>Rechnung 12345, danke</ns2:Ustrd></ns2:RmtInf>
          </ns2:TxDtls>
        </ns2:NtryDtls>
      </ns2:Ntry>
    </ns2:Ntfctn>
  </ns2:BkToCstmrDbtCdtNtfctn>
</ns2:Document>`;

describe("parseCamt054", () => {
  it("reads a Swedish bank's v02 notification: one payment per transaction, OCR refs as the bank checked them", () => {
    expect(parsed(SWEDISH_V02)).toEqual({
      format: "camt054",
      account: { bankgiro: "50501055", iban: null },
      createdAt: "2026-03-02T05:15:00.000Z", // local (Stockholm) time without an offset, answered in UTC
      test: false,
      payments: [
        {
          transactionId: "BG-778812",
          kind: "payment",
          amount: 100000,
          currency: "SEK",
          date: "2026-03-02",
          references: ["655969"],
          referenceChecked: true,
          freeText: null,
          payerName: "Åkeri Norr AB",
          payerOrgNumber: null,
          shares: null,
          deductions: [],
          warnings: [],
          position: "entry 1, transaction 1",
        },
        {
          transactionId: "20260302-0001:2",
          kind: "payment",
          amount: 140000,
          currency: "SEK",
          date: "2026-03-02",
          references: ["00657866", "658765"],
          referenceChecked: true,
          freeText: null,
          payerName: "Bygg & Plåt i Storåker",
          payerOrgNumber: null,
          shares: null,
          deductions: [],
          warnings: [],
          position: "entry 1, transaction 2",
        },
        {
          transactionId: "20260302-0002",
          kind: "payment",
          amount: 75050,
          currency: "SEK",
          date: "2026-03-02",
          references: ["RF18539007547034"],
          referenceChecked: false,
          freeText: "Faktura 2026-17 RF18 5390 0754 7034",
          payerName: "Färg & Form HB",
          payerOrgNumber: null,
          shares: null,
          deductions: [],
          warnings: [],
          position: "entry 2",
        },
      ],
    });
  });

  it("reads a v08 notification with prefixed names, an IBAN and amounts on the transactions", () => {
    const file = parsed(SEPA_V08);
    expect(file.account).toEqual({ bankgiro: null, iban: "SE4550000000058398257466" });
    expect(file.createdAt).toBe("2026-03-03T06:00:00.000Z"); // 07:00+01:00, with its offset
    expect(file.payments.map((p) => [p.transactionId, p.amount, p.currency, p.date, p.references, p.referenceChecked, p.payerName, p.freeText])).toEqual([
      ["SEPA-1", 100000, "EUR", "2026-03-03", ["RF18539007547034"], true, "Müller GmbH", null],
      // 12345 fails the Luhn check, so it is not taken for an OCR number.
      ["SEPA-2", 25000, "EUR", "2026-03-03", [], false, null, "Rechnung 12345, danke"],
    ]);
  });

  it.each([
    ["a debit (money going out)", entry({ direction: "<CdtDbtInd>DBIT</CdtDbtInd>" })],
    ["a pending entry (v02)", entry({ status: "<Sts>PDNG</Sts>" })],
    ["a pending entry (v08)", entry({ status: "<Sts><Cd>PDNG</Cd></Sts>" })],
    ["an informational entry", entry({ status: "<Sts>INFO</Sts>" })],
    ["a reversal", entry({ reversal: "<RvslInd>true</RvslInd>" })],
    ["a reversal written as 1", entry({ reversal: "<RvslInd>1</RvslInd>" })],
  ])("books nothing for %s", (_name, ignored) => {
    const file = parsed(document(notification(ignored + entry({ ref: "<AcctSvcrRef>KEEP</AcctSvcrRef>" }))));
    expect(file.payments.map((p) => [p.transactionId, p.position])).toEqual([["KEEP", "entry 2"]]);
  });

  it("books an entry without transaction details as one payment of the entry's amount", () => {
    const file = parsed(document(notification(entry({ amount: '<Amt Ccy="SEK">99.9</Amt>', ref: "<AcctSvcrRef>LONE</AcctSvcrRef>" }))));
    expect(file.payments).toMatchObject([{ transactionId: "LONE", amount: 9990, references: [], position: "entry 1" }]);
  });

  it.each([
    ["the transaction's own AcctSvcrRef", "<AcctSvcrRef>E</AcctSvcrRef>", ["<Refs><AcctSvcrRef>T</AcctSvcrRef><EndToEndId>X</EndToEndId></Refs>"], ["T"]],
    ["the entry's AcctSvcrRef for a lone transaction", "<AcctSvcrRef>E</AcctSvcrRef>", ["<Refs><EndToEndId>X</EndToEndId></Refs>"], ["E"]],
    ["the entry's AcctSvcrRef and the position for several", "<AcctSvcrRef>E</AcctSvcrRef>", ["", "<Refs><AcctSvcrRef>T</AcctSvcrRef></Refs>", ""], ["E:1", "T", "E:3"]],
    ["the EndToEndId when the bank gives no reference", "", ["<Refs><EndToEndId>X-1</EndToEndId></Refs>"], ["X-1"]],
  ])("identifies a payment by %s", (_name, entryRef, txRefs, expected) => {
    const details = txRefs.map((refs) => `<TxDtls>${refs}<AmtDtls><TxAmt><Amt Ccy="SEK">1.00</Amt></TxAmt></AmtDtls></TxDtls>`).join("");
    const file = parsed(document(notification(entry({ ref: entryRef, details }))));
    expect(file.payments.map((p) => p.transactionId)).toEqual(expected);
  });

  it("keeps leading zeros of OCR numbers and amounts exact", () => {
    const details = `<TxDtls><AmtDtls><TxAmt><Amt Ccy="SEK">0001234567.89</Amt></TxAmt></AmtDtls><RmtInf>${scor("0000655969")}</RmtInf></TxDtls>`;
    const [payment] = parsed(document(notification(entry({ details })))).payments;
    expect(payment).toMatchObject({ references: ["0000655969"], amount: 123456789 });
  });

  it("numbers entries across notifications for the same account", () => {
    const file = parsed(document(notification(entry()) + notification(entry({ ref: "<AcctSvcrRef>E-2</AcctSvcrRef>" }))));
    expect(file.payments.map((p) => p.position)).toEqual(["entry 1", "entry 2"]);
  });

  it("strips a UTF-8 byte order mark", () => {
    expect(parsed(`\ufeff${document(notification(entry()))}`).payments).toHaveLength(1);
  });

  it("accepts a notification with no entries", () => {
    expect(parsed(document(notification(""))).payments).toEqual([]);
  });

  it.each(["camt.054.001.02", "camt.054.001.04", "camt.054.001.08", "camt.054.001.10"])("accepts %s", (version) => {
    expect(parsed(document(notification(entry()), version)).payments).toHaveLength(1);
  });
});

describe("parseCamt054 refuses", () => {
  const oneEntry = (parts: Partial<EntryParts>) => document(notification(entry(parts)));
  const twoTransactions = (second: string) =>
    oneEntry({ details: `<TxDtls><AmtDtls><TxAmt><Amt Ccy="SEK">1.00</Amt></TxAmt></AmtDtls></TxDtls><TxDtls>${second}</TxDtls>` });

  it.each<[string, string | Uint8Array, string, RegExp]>([
    ["text that is not XML", "Datum;Belopp\n2026-03-02;100", "line 1", /not valid XML/],
    ["broken XML, on its line", "<Document>\n<BkToCstmrDbtCdtNtfctn>\n<Ntfctn></Ntry>\n</Document>", "line 3", /not valid XML: .*Ntfctn/],
    ["an empty file", "  \n", "file", /empty/],
    ["a camt.053 statement", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>`, "file", /not a camt\.054.*camt\.053 \(an account statement\)/],
    ["other XML", "<invoice><id>1</id></invoice>", "file", /not a camt\.054/],
    ["an unsupported version", document(notification(entry()), "camt.054.001.11"), "file", /camt\.054\.001\.11 is not supported/],
    ["a DOCTYPE", `<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY x "y">]>\n${document(notification(entry()))}`, "line 2", /<!DOCTYPE/],
    ["an entity declaration", `<?xml version="1.0"?>\n\n<!ENTITY x SYSTEM "file:///etc/passwd">`, "line 3", /<!ENTITY/],
    ["Latin-1 text", new Uint8Array([...bytes("<Document><Nm>"), 0xc5, ...bytes("keri</Nm></Document>")]), "file", /not UTF-8/],
    ["UTF-16 text", new Uint8Array([0xff, 0xfe, ...[...bytes("<Document/>")].flatMap((b) => [b, 0])]), "file", /not UTF-8/],
    ["a notification without an account", document("<Ntfctn><Id>N</Id>" + entry() + "</Ntfctn>"), "notification", /no receiving account/],
    ["an account that is neither IBAN nor bankgiro", document(notification(entry(), "<Othr><Id>ACME-KONTO</Id></Othr>")), "notification", /"ACME-KONTO" is an account without a scheme/],
    ["an account number without the BGNR scheme, even all digits", document(notification(entry(), "<Othr><Id>5050-1055</Id></Othr>")), "notification", /"5050-1055" is an account without a scheme; files are matched by IBAN or by bankgiro \(Othr\/SchmeNm\/Prtry BGNR\)/],
    ["a BBAN account number", document(notification(entry(), "<Othr><Id>33001234567</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr>")), "notification", /"33001234567" is a BBAN account/],
    ["two receiving accounts", document(notification(entry()) + notification(entry(), "<IBAN>SE4550000000058398257466</IBAN>")), "notification 2", /second receiving account, IBAN SE455.*first was bankgiro 50501055/],
    ["no notification", document(""), "file", /no notification/],
    ["an entry without an amount", oneEntry({ amount: "" }), "entry 1", /no amount/],
    ["an amount without currency", oneEntry({ amount: "<Amt>100.00</Amt>" }), "entry 1", /without a currency/],
    ["a currency the portal does not handle", oneEntry({ amount: '<Amt Ccy="XAU">1.00</Amt>' }), "entry 1", /XAU/],
    ["more decimals than SEK has", oneEntry({ amount: '<Amt Ccy="SEK">10.005</Amt>' }), "entry 1", /"10\.005" with more decimals than SEK has \(2\)/],
    ["decimals in yen", oneEntry({ amount: '<Amt Ccy="JPY">100.5</Amt>' }), "entry 1", /more decimals than JPY has \(0\)/],
    ["a decimal comma", oneEntry({ amount: '<Amt Ccy="SEK">100,50</Amt>' }), "entry 1", /not a decimal number/],
    ["a negative amount", oneEntry({ amount: '<Amt Ccy="SEK">-100.00</Amt>' }), "entry 1", /not a decimal number/],
    ["an entry without a booking date", oneEntry({ date: "" }), "entry 1", /no booking date/],
    ["an impossible booking date", oneEntry({ date: "<BookgDt><Dt>2026-02-30</Dt></BookgDt>" }), "entry 1", /"2026-02-30" that is not a date/],
    ["an entry without CdtDbtInd", oneEntry({ direction: "" }), "entry 1", /no CdtDbtInd/],
    ["an entry without status", oneEntry({ status: "" }), "entry 1", /no status/],
    ["an entry without any bank reference", oneEntry({ ref: "" }), "entry 1", /no bank reference/],
    ["a transaction without any bank reference", oneEntry({ ref: "", details: "<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls>" }), "entry 1", /no bank reference/],
    ["one of several transactions without an amount", twoTransactions("<Refs><AcctSvcrRef>T</AcctSvcrRef></Refs>"), "entry 1, transaction 2", /no amount/],
    ["one of several transactions without a currency", twoTransactions("<Amt>5.00</Amt>"), "entry 1, transaction 2", /without a currency/],
  ])("%s", (_name, input, position, message) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual({ position, message: expect.stringMatching(message) });
  });

  it("a file over 20 MB, before reading it", () => {
    expect(errorsOf(new Uint8Array(BANK_FILE_LIMITS.bytes + 1))).toEqual([{ position: "file", message: expect.stringMatching(/at most 20971520 bytes \(size limit\)/) }]);
  });

  it("a file with several bad entries, naming each, and books nothing", () => {
    const xml = document(notification(entry() + entry({ date: "" }) + entry() + entry({ amount: '<Amt Ccy="SEK">1.234</Amt>' })));
    expect(errorsOf(xml).map((error) => error.position)).toEqual(["entry 2", "entry 4"]);
  });

  it("a debit with errors is still ignored, not refused", () => {
    expect(parsed(document(notification(entry({ direction: "<CdtDbtInd>DBIT</CdtDbtInd>", amount: "", date: "" })))).payments).toEqual([]);
  });
});

describe("parseCamt054 on damaged files", () => {
  // D2: whatever arrives, the answer is a result (a 4xx), never a thrown error (a 5xx).
  it("returns a result for 3,000 truncated or mangled copies of a real file", () => {
    const original = bytes(SWEDISH_V02);
    let seed = 20260302;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    let refused = 0;
    for (let round = 0; round < 3000; round++) {
      const copy = original.slice(0, round % 3 === 0 ? random(original.length) : original.length);
      for (let change = 0; change < 1 + random(4); change++) copy[random(copy.length)] = random(128);
      const result = parseCamt054(copy);
      if (!result.ok) refused++;
      expect(result.ok || result.errors.length > 0).toBe(true);
    }
    expect(refused).toBeGreaterThan(1000);
  });
});

// The booking rules real camt.054 files need (payment-formats.md §5a′), on XML written by hand.
describe("parseCamt054: credit notes and the remittance's own amounts", () => {
  const strd = (ref: string, parts: { type?: string; paid?: string; credited?: string } = {}) =>
    `<Strd>${parts.type ? `<RfrdDocInf><Tp><CdOrPrtry><Cd>${parts.type}</Cd></CdOrPrtry></Tp><Nb>F-${ref}</Nb></RfrdDocInf>` : ""}${
      parts.paid || parts.credited
        ? `<RfrdDocAmt>${parts.paid ? `<RmtdAmt Ccy="SEK">${parts.paid}</RmtdAmt>` : ""}${parts.credited ? `<CdtNoteAmt Ccy="SEK">${parts.credited}</CdtNoteAmt>` : ""}</RfrdDocAmt>`
        : ""
    }<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd>`;
  const paymentOf = (amount: string, remittance: string) =>
    parsed(document(notification(entry({ amount: `<Amt Ccy="SEK">${amount}</Amt>`, details: `<TxDtls><AmtDtls><TxAmt><Amt Ccy="SEK">${amount}</Amt></TxAmt></AmtDtls><RmtInf>${remittance}</RmtInf></TxDtls>` })))).payments[0];

  it.each([
    ["a credit note (CREN) is deducted, not paid", "700.00", strd("655969", { type: "CINV", paid: "1000.00" }) + strd("657866", { type: "CREN", credited: "300.00" }),
      { references: ["655969"], deductions: [{ reference: "657866", amount: 30000 }], shares: null }],
    ["an amount given as CdtNoteAmt is a credit note", "700.00", strd("655969") + strd("657866", { credited: "300.00" }),
      { references: ["655969"], deductions: [{ reference: "657866", amount: 30000 }] }],
    ["RmtdAmt that add up are each reference's share", "1500.00", strd("655969", { paid: "1000.00" }) + strd("657866", { paid: "500.00" }),
      { references: ["655969", "657866"], shares: [100000, 50000], warnings: [] }],
    ["RmtdAmt that do not add up: the payer's order, with a warning", "1200.00", strd("655969", { paid: "1000.00" }) + strd("657866", { paid: "500.00" }),
      { shares: null, warnings: [expect.stringMatching(/add up to 150000, not the payment's 120000/)] }],
    ["some RmtdAmt missing: the payer's order", "1500.00", strd("655969", { paid: "1000.00" }) + strd("657866"),
      { shares: null, warnings: [expect.stringMatching(/1 of 2 given/)] }],
  ])("%s", (_name, amount, remittance, expected) => {
    expect(paymentOf(amount, remittance)).toMatchObject(expected);
  });

  it("a credit note alone: the invoice is looked for in the payer's text", () => {
    expect(paymentOf("700.00", strd("657866", { type: "CREN" }) + "<Ustrd>Faktura 655969 minus kreditnota</Ustrd>")).toMatchObject({
      references: ["655969"], referenceChecked: false, deductions: [{ reference: "657866", amount: null }],
    });
  });
});

describe("parseCamt054: every transaction has its own id", () => {
  const tx = (refs: string) => `<TxDtls><Refs>${refs}</Refs><AmtDtls><TxAmt><Amt Ccy="SEK">1.00</Amt></TxAmt></AmtDtls></TxDtls>`;
  it.each([
    ["transactions repeating the entry's AcctSvcrRef", [entry({ ref: "<AcctSvcrRef>E</AcctSvcrRef>", details: tx("<AcctSvcrRef>E</AcctSvcrRef>").repeat(3) })], ["E:1", "E:2", "E:3"]],
    ["transactions repeating one AcctSvcrRef of their own", [entry({ ref: "<AcctSvcrRef>E</AcctSvcrRef>", details: tx("<AcctSvcrRef>T</AcctSvcrRef>").repeat(2) })], ["T", "T~2"]],
    ["two entries with the same AcctSvcrRef", [entry({ ref: "<AcctSvcrRef>E</AcctSvcrRef>" }), entry({ ref: "<AcctSvcrRef>E</AcctSvcrRef>" })], ["E", "E~2"]],
  ])("%s", (_name, entries, ids) => {
    const xml = document(notification(entries.join("")));
    expect(parsed(xml).payments.map((payment) => payment.transactionId)).toEqual(ids);
    // The same on every import of the file (P8).
    expect(parsed(xml).payments.map((payment) => payment.transactionId)).toEqual(ids);
  });
});

describe("parseCamt054: limits (security D6)", () => {
  it("refuses XML nested deeper than the depth limit, on its line, without overflowing the stack", () => {
    const xml = document(notification(entry())).replace("<GrpHdr>", `\n${"<X>".repeat(10_000)}${"</X>".repeat(10_000)}<GrpHdr>`);
    expect(errorsOf(xml)).toEqual([{ position: "line 5", message: expect.stringMatching(/nested more than 64 elements deep \(depth limit\)/) }]);
  });

  it("accepts the depth a real file has, with comments and CDATA holding angle brackets", () => {
    const xml = document(notification(entry())).replace("<GrpHdr>", `<!-- <a><b><c> --><GrpHdr><![CDATA[<d><e>]]>`);
    expect(parseCamt054(bytes(xml), { ...BANK_FILE_LIMITS, depth: 8 }).ok).toBe(true);
    expect(parseCamt054(bytes(xml), { ...BANK_FILE_LIMITS, depth: 7 }).ok).toBe(false);
  });

  it.each([
    ["more entries than the count limit, before parsing", entry() + entry({ ref: "<AcctSvcrRef>E-2</AcctSvcrRef>" }) + entry({ ref: "<AcctSvcrRef>E-3</AcctSvcrRef>" }),
      /has 3 Ntry elements; at most 2 payments per file are accepted \(payment count limit\)/],
    ["more payments than the count limit", entry() + entry({ ref: "<AcctSvcrRef>E-2</AcctSvcrRef>", details: "<TxDtls><Amt Ccy=\"SEK\">1</Amt></TxDtls>".repeat(2) }),
      /has 3 payments; at most 2 per file are accepted \(payment count limit\)/],
  ])("refuses %s", (_name, entries, message) => {
    const result = parseCamt054(bytes(document(notification(entries))), { ...BANK_FILE_LIMITS, payments: 2 });
    expect(result).toEqual({ ok: false, errors: [{ position: "file", message: expect.stringMatching(message) }] });
  });
});
