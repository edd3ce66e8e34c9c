import { describe, expect, it } from "vitest";
import { type BankFileResult, type BankPayment } from "./bank-file";
import { parseBgMax, readBgMax } from "./bgmax";

// Fixtures are built record by record: `record(tk, { position: value })` writes each value at its
// 1-based position (as payment-formats.md §5a prints them) into an 80-character line of spaces.
function record(tk: string, fields: Record<number, string> = {}): string {
  const chars = Array.from(tk.padEnd(80));
  for (const [at, value] of Object.entries(fields)) {
    const start = Number(at) - 1;
    if (start + value.length > 80) throw new Error(`field at ${at} runs past position 80`);
    chars.splice(start, value.length, ...value);
  }
  return chars.join("");
}

const zeros = (value: number, width: number) => String(value).padStart(width, "0");

const start = ({ stamp = "20040525173035010331", marker = "P", layout = "BGMAX" } = {}) =>
  record("01", { 3: layout, 23: "01", 25: stamp, 45: marker });
const opening = ({ bankgiro = "0009912346", currency = "SEK" } = {}) => record("05", { 3: bankgiro, 23: currency });

type PaymentFields = { payer?: string; reference?: string; amount: number; code: string; channel?: string; serial: number; image?: string };
/** A TK20/21/22/23: checked references (code 2/4) are right-aligned, free text left-aligned. */
function payment(tk: "20" | "21" | "22" | "23", fields: PaymentFields, extra: Record<number, string> = {}) {
  const reference = fields.reference ?? "";
  return record(tk, {
    3: fields.payer ?? "0003783511",
    13: fields.code === "2" || fields.code === "4" ? reference.padStart(25) : reference.padEnd(25),
    38: zeros(fields.amount, 18),
    56: fields.code,
    57: fields.channel ?? "2",
    58: zeros(fields.serial, 12),
    70: fields.image ?? "0",
    ...extra,
  });
}
const extraReference = (reference: string, serial: number, code = "2") => payment("22", { reference, amount: 0, code, serial });
const info = (text: string) => record("25", { 3: text });
/** TK26–29 of a payer, as the official sample gives each payment. */
const payer = (name: string, street: string, org: string) => [
  record("26", { 3: name }),
  record("27", { 3: street, 38: "12345" }),
  record("28", { 3: "Storåker" }),
  record("29", { 3: org }),
];
const deposit = ({ date = "20040525", serial = "00074", amount, count, currency = "SEK" }: { date?: string; serial?: string; amount: number; count: number; currency?: string }) =>
  record("15", { 3: "00000000000000000005841000001009823", 38: date, 46: serial, 51: zeros(amount, 18), 69: currency, 72: zeros(count, 8) });
const end = (tk20: number, tk21: number, tk22: number, tk15: number) =>
  record("70", { 3: zeros(tk20, 8), 11: zeros(tk21, 8), 19: zeros(tk22, 8), 27: zeros(tk15, 8) });

const KALLE = payer("Kalles Plåt AB", "Storgatan 2", "005500001234");
const BERIT = payer("Berits Garn", "Storgatan 10", "005500002222");

/**
 * The structure of Bankgirot's official sample ("Avtal om OCR-kontroll: checksiffra och längd"),
 * line for line, with its worked check (§5a): 1000 + 1400 − 500 = 1900.00 and 8000.00 deposited.
 */
const SAMPLE: readonly string[] = [
  start(), // 1
  opening(), // 2
  payment("20", { reference: "655969", amount: 100000, code: "2", serial: 10 }), // 3
  ...KALLE, // 4–7
  payment("21", { reference: "89853", amount: 50000, code: "3", serial: 230000111 }, { 71: "0" }), // 8
  ...KALLE, // 9–12
  payment("20", { reference: "657866 658765 657767", amount: 140000, code: "3", serial: 14 }), // 13
  extraReference("657866", 14), // 14
  extraReference("658765", 14), // 15
  extraReference("657767", 14), // 16
  extraReference("657965", 14), // 17
  info("Betalning med extra refnr 657965"), // 18
  ...KALLE, // 19–22
  deposit({ amount: 190000, count: 3 }), // 23
  opening(), // 24
  payment("20", { payer: "0009701233", reference: "650861", amount: 110000, code: "2", channel: "1", serial: 12 }), // 25
  ...payer("Olles färg AB", "Lillagatan 3", "005500004322"), // 26–29
  payment("20", { payer: "0001234567", amount: 120000, code: "1", channel: "3", serial: 13, image: "1" }), // 30
  ...BERIT, // 31–34
  payment("20", { payer: "0001234567", reference: "659763", amount: 70000, code: "2", channel: "3", serial: 16, image: "1" }), // 35
  ...BERIT, // 36–39
  payment("20", { reference: "658260", amount: 500000, code: "2", serial: 16 }), // 40
  extraReference("658369", 16), // 41
  extraReference("658468", 16), // 42
  info(" Faktura 658369"), // 43
  info(" Faktura 658468"), // 44
  ...KALLE, // 45–48
  deposit({ serial: "00075", amount: 800000, count: 4 }), // 49
  end(6, 1, 6, 2), // 50
];

/** Bytes as Bankgirot sends them: ISO 8859-1, one record per line. */
function latin1(lines: readonly string[], eol = "\n"): Uint8Array {
  const text = lines.join(eol) + eol;
  return Uint8Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    if (code > 0xff) throw new Error(`${char} is not in ISO 8859-1`);
    return code;
  });
}

function parsedFile(result: BankFileResult) {
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.file;
}

const kalle = { payerName: "Kalles Plåt AB", payerAccount: "3783511", payerOrgNumber: "550000-1234" };
const common = { currency: "SEK", date: "2004-05-25", shares: null, deductions: [], warnings: [] };
const SAMPLE_PAYMENTS: BankPayment[] = [
  { ...common, ...kalle, transactionId: "9912346:2004-05-25:000000000010", kind: "payment", amount: 100000, references: ["655969"], referenceChecked: true, freeText: null, position: "line 3" },
  { ...common, ...kalle, transactionId: "9912346:2004-05-25:000230000111", kind: "deduction", amount: -50000, references: [], referenceChecked: false, freeText: "89853", position: "line 8" },
  {
    ...common, ...kalle, transactionId: "9912346:2004-05-25:000000000014", kind: "payment", amount: 140000,
    references: ["657866", "658765", "657767", "657965"], referenceChecked: true,
    freeText: "657866 658765 657767\nBetalning med extra refnr 657965", position: "line 13",
  },
  {
    ...common, transactionId: "9912346:2004-05-25:000000000012", kind: "payment", amount: 110000, references: ["650861"], referenceChecked: true,
    freeText: null, payerName: "Olles färg AB", payerAccount: "9701233", payerOrgNumber: "550000-4322", position: "line 25",
  },
  {
    ...common, transactionId: "9912346:2004-05-25:000000000013", kind: "payment", amount: 120000, references: [], referenceChecked: false,
    freeText: null, payerName: "Berits Garn", payerAccount: "1234567", payerOrgNumber: "550000-2222", position: "line 30",
  },
  {
    ...common, transactionId: "9912346:2004-05-25:000000000016", kind: "payment", amount: 70000, references: ["659763"], referenceChecked: true,
    freeText: null, payerName: "Berits Garn", payerAccount: "1234567", payerOrgNumber: "550000-2222", position: "line 35",
  },
  {
    // The sample repeats BGC serial 16 for a different payment: it must not look like a re-import.
    ...common, ...kalle, transactionId: "9912346:2004-05-25:000000000016~2", kind: "payment", amount: 500000,
    references: ["658260", "658369", "658468"], referenceChecked: true, freeText: "Faktura 658369\nFaktura 658468", position: "line 40",
  },
];

describe("parseBgMax: the official sample", () => {
  it("reads every payment and deduction with its references, payer and deposit date", () => {
    expect(parseBgMax(latin1(SAMPLE))).toEqual({
      ok: true,
      file: {
        format: "bgmax",
        account: { bankgiro: "9912346", iban: null },
        // 17:30:35 Swedish summer time.
        createdAt: "2004-05-25T15:30:35.010Z",
        test: false,
        payments: SAMPLE_PAYMENTS,
      },
    });
  });

  it("adds up to what Bankgirot deposited: deductions reduce the deposit", () => {
    const payments = parsedFile(parseBgMax(latin1(SAMPLE))).payments;
    expect(payments.slice(0, 3).reduce((sum, payment) => sum + payment.amount, 0)).toBe(190000);
    expect(payments.slice(3).reduce((sum, payment) => sum + payment.amount, 0)).toBe(800000);
  });

  it("gives every payment a distinct id, the same on every import of the file (P8)", () => {
    const ids = (bytes: Uint8Array) => parsedFile(parseBgMax(bytes)).payments.map((payment) => payment.transactionId);
    const first = ids(latin1(SAMPLE));
    expect(new Set(first).size).toBe(first.length);
    expect(ids(latin1(SAMPLE))).toEqual(first);
  });

  it.each([
    ["CRLF line ends", latin1(SAMPLE, "\r\n")],
    ["trailing spaces trimmed", latin1(SAMPLE.map((line) => line.trimEnd()))],
    ["trimmed, CRLF and no final newline", latin1(SAMPLE.map((line) => line.trimEnd()), "\r\n").slice(0, -2)],
    ["blank lines in between", latin1([...SAMPLE.slice(0, 2), "", ...SAMPLE.slice(2), "   "])],
    ["re-saved as UTF-8", new TextEncoder().encode(SAMPLE.join("\n"))],
  ])("reads the same payments with %s", (name, bytes) => {
    const payments = parsedFile(parseBgMax(bytes)).payments;
    // Blank lines keep their numbers, so positions still point into the file as uploaded.
    const shift = name === "blank lines in between" ? 1 : 0;
    expect(payments).toEqual(SAMPLE_PAYMENTS.map((payment) => ({ ...payment, position: `line ${Number(payment.position.slice(5)) + shift}` })));
  });

  it("reads åäö as ISO 8859-1", () => {
    const bytes = latin1(SAMPLE);
    // "Olles färg AB": ä is the single byte 0xE4 in ISO 8859-1.
    expect(bytes).toContain(0xe4);
    expect(parsedFile(parseBgMax(bytes)).payments[3]!.payerName).toBe("Olles färg AB");
  });

  it("marks a test file", () => {
    expect(parsedFile(parseBgMax(latin1([start({ marker: "T" }), ...SAMPLE.slice(1)]))).test).toBe(true);
  });
});

/** A one-section file around the given payment group records; the deposit is made to match. */
function singlePaymentFile(group: string[], amount: number) {
  return latin1([start(), opening(), ...group, deposit({ amount, count: 1 }), end(1, 0, group.filter((line) => /^2[23]/.test(line)).length, 1)]);
}

describe("parseBgMax: references", () => {
  it.each([
    ["a checked OCR, zero-filled", [payment("20", { reference: "0000000000000000000655969", amount: 100, code: "2", serial: 1 })], { references: ["655969"], referenceChecked: true, freeText: null }],
    ["a reference checked by extended registration (code 4)", [payment("20", { reference: "655969", amount: 100, code: "4", serial: 1 })], { references: ["655969"], referenceChecked: true, freeText: null }],
    ["an incorrect reference (code 5)", [payment("20", { reference: "655968", amount: 100, code: "5", serial: 1 })], { references: [], referenceChecked: false, freeText: "655968" }],
    ["no reference (code 0) with checked extra references", [payment("20", { amount: 100, code: "0", serial: 1 }), extraReference("657866", 1), extraReference("658765", 1)], { references: ["657866", "658765"], referenceChecked: true, freeText: null }],
    ["a checked OCR repeated by an extra reference", [payment("20", { reference: "655969", amount: 100, code: "2", serial: 1 }), extraReference("655969", 1), extraReference("657866", 1)], { references: ["655969", "657866"], referenceChecked: true, freeText: null }],
    ["free text (code 3) whose extra reference failed the check", [payment("20", { reference: "faktura 4711", amount: 100, code: "3", serial: 1 }), extraReference("4711", 1, "5")], { references: [], referenceChecked: false, freeText: "faktura 4711\n4711" }],
  ])("%s", (_name, group, expected) => {
    expect(parsedFile(parseBgMax(singlePaymentFile(group, 100))).payments[0]).toMatchObject(expected);
  });

  it("joins the payer's name and extra name, and reads a personal number with its century", () => {
    const group = [
      payment("20", { reference: "655969", amount: 100, code: "2", serial: 1 }),
      record("26", { 3: "Åsa Öberg", 38: "c/o Ärlig" }),
      record("29", { 3: "197001011234" }),
    ];
    expect(parsedFile(parseBgMax(singlePaymentFile(group, 100))).payments[0]).toMatchObject({ payerName: "Åsa Öberg c/o Ärlig", payerOrgNumber: "700101-1234" });
  });

  it("reads an EUR section in cents", () => {
    const bytes = latin1([start(), opening({ currency: "EUR" }), payment("20", { reference: "655969", amount: 12345, code: "2", serial: 1 }), deposit({ amount: 12345, count: 1, currency: "EUR" }), end(1, 0, 0, 1)]);
    expect(parsedFile(parseBgMax(bytes)).payments[0]).toMatchObject({ amount: 12345, currency: "EUR" });
  });
});

/** The sample with line `number` (1-based) replaced by `lines` (none deletes it). */
const replaceLine = (number: number, ...lines: string[]) => [...SAMPLE.slice(0, number - 1), ...lines, ...SAMPLE.slice(number)];
/** Characters `from`–… (1-based) of line `number` overwritten. */
const overwrite = (number: number, from: number, value: string) => {
  const line = SAMPLE[number - 1]!;
  return replaceLine(number, line.slice(0, from - 1) + value + line.slice(from - 1 + value.length));
};

describe("parseBgMax: a bad file is refused with every problem and its line", () => {
  it.each<[string, string[], [string, RegExp][]]>([
    ["not a BgMax file", ["Fakturanummer;Belopp", "F-1;100"], [["line 1", /^Not a BgMax file/]]],
    ["another layout in TK01", [start({ layout: "BGMAX2" }), ...SAMPLE.slice(1)], [["line 1", /^Not a BgMax file/]]],
    ["letters in an amount", overwrite(25, 38, "00000000000011000O"), [["line 25", /TK20 payment amount \(positions 38–55\) must be digits, got "00000000000011000O"/]]],
    ["letters in a BGC serial", overwrite(3, 58, "00000000001X"), [["line 3", /TK20 payment BGC serial number \(positions 58–69\) must be digits/]]],
    ["a blank reference code", overwrite(8, 56, " "), [["line 8", /TK21 deduction reference code \(position 56\) must be digits, got " "/]]],
    [
      "a payment before the TK05 opening record",
      [start(), payment("20", { reference: "655969", amount: 100, code: "2", serial: 1 }), ...SAMPLE.slice(1, -1), end(7, 1, 6, 2)],
      [["line 2", /TK20 payment record outside a section/]],
    ],
    ["a name record with no payment before it", replaceLine(24, record("26", { 3: "Kalles Plåt AB" }), SAMPLE[23]!), [["line 24", /TK26 record without a TK20 payment or TK21 deduction/]]],
    [
      "a deposit that is not the sum of its payments",
      replaceLine(23, deposit({ amount: 240000, count: 3 })),
      [["line 23", /TK15 deposit amount 2400\.00 does not match .*TK20 payments 2400\.00 − TK21 deductions 500\.00 = 1900\.00/]],
    ],
    ["a deposit count that is not its records", replaceLine(49, deposit({ serial: "00075", amount: 800000, count: 5 })), [["line 49", /TK15 number of payments is 5 but the section has 4/]]],
    ["an impossible payment date", replaceLine(23, deposit({ date: "20040231", amount: 190000, count: 3 })), [["line 23", /TK15 payment date .* not a valid date, got "20040231"/]]],
    ["a deposit in another currency than its section", replaceLine(23, deposit({ amount: 190000, count: 3, currency: "EUR" })), [["line 23", /TK15 currency .* "EUR" but the section's TK05 on line 2 says SEK/]]],
    [
      "a section without its deposit record",
      replaceLine(23),
      [["line 23", /TK05 opening record inside the section opened on line 2/], ["line 49", /TK70 count of TK15 deposit records .* is 2 but the file has 1/]],
    ],
    ["a currency other than SEK or EUR", replaceLine(24, opening({ currency: "NOK" })), [["line 24", /TK05 currency .* must be SEK or EUR, got "NOK"/]]],
    ["two payee bankgiros", replaceLine(24, opening({ bankgiro: "0001234566" })), [["line 24", /more than one payee bankgiro \(9912346 on line 2, 1234566 here\)/]]],
    [
      "TK70 counts that are not the file's records",
      replaceLine(50, end(7, 0, 5, 3)),
      [
        ["line 50", /TK70 count of TK20 payment records .* is 7 but the file has 6/],
        ["line 50", /TK70 count of TK21 deduction records .* is 0 but the file has 1/],
        ["line 50", /TK70 count of TK22\/TK23 extra reference records .* is 5 but the file has 6/],
        ["line 50", /TK70 count of TK15 deposit records .* is 3 but the file has 2/],
      ],
    ],
    ["a file cut off before TK70", SAMPLE.slice(0, 49), [["line 49", /ends without a TK70 end record/]]],
    ["a file cut off inside a section", SAMPLE.slice(0, 40), [["line 40", /section opened by the TK05 record on line 24 has no TK15/], ["line 40", /ends without a TK70/]]],
    ["a record after TK70", [...SAMPLE, info("Extra")], [["line 51", /TK25 record after the TK70 end record on line 50/]]],
    ["a bad TK01 timestamp and test marker", [start({ stamp: "20041325173035010331", marker: "X" }), ...SAMPLE.slice(1)], [["line 1", /TK01 timestamp .* not a valid date and time/], ["line 1", /TK01 test marker \(position 45\) must be T .* or P .*, got "X"/]]],
    ["a tab from an editor", replaceLine(17, SAMPLE[16]!.replace("            ", "\t\t").trimEnd()), [["line 17", /contains a tab character/]]],
    ["a payment record longer than 80 characters", replaceLine(13, `${SAMPLE[12]!}XYZ`), [["line 13", /The record is 83 characters long/]]],
  ])("%s", (_name, lines, expected) => {
    const result = parseBgMax(latin1(lines));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((error) => error.position)).toEqual(expected.map(([position]) => position));
    errors.forEach((error, index) => expect(error.message).toMatch(expected[index]![1]));
  });

  it("reports all problems at once, in line order", () => {
    const lines = replaceLine(49, deposit({ serial: "00075", amount: 800001, count: 4 }));
    lines[24] = overwrite(25, 56, "X")[24]!;
    lines[1] = opening({ currency: "USD" });
    const result = parseBgMax(latin1(lines));
    expect(result.ok ? [] : result.errors.map((error) => error.position)).toEqual(["line 2", "line 25", "line 49"]);
  });

  it("refuses an empty upload", () => {
    expect(parseBgMax(new Uint8Array())).toEqual({ ok: false, errors: [{ position: "line 1", message: expect.stringMatching(/^Not a BgMax file/) }] });
  });
});

// The booking rules Bankgirot's manual sets for real files (payment-formats.md §5a′), each on
// records built from the manual's layout by position.
describe("parseBgMax: extra references and their amounts (TK22, TK23)", () => {
  const tk20 = (amount: number, reference = "", code = "0") => payment("20", { reference, amount, code, serial: 7 });
  const tk22 = (reference: string, amount: number) => payment("22", { reference, amount, code: "2", serial: 7 });
  const tk23 = (reference: string, amount: number) => payment("23", { reference, amount, code: "2", serial: 7 });

  it.each([
    ["TK22 amounts that add up are each reference's share", [tk20(150000), tk22("655969", 100000), tk22("657866", 50000)], 150000,
      { references: ["655969", "657866"], shares: [100000, 50000], deductions: [], warnings: [] }],
    ["the TK20's own reference takes what its TK22s leave", [tk20(150000, "655969", "2"), tk22("657866", 50000)], 150000,
      { references: ["655969", "657866"], shares: [100000, 50000], warnings: [] }],
    ["TK22 amounts of zero: the payer's order", [tk20(150000), tk22("655969", 0), tk22("657866", 0)], 150000,
      { references: ["655969", "657866"], shares: null, warnings: [] }],
    ["a TK23 is a deduction, never a paid reference", [tk20(70000), tk22("655969", 100000), tk23("657866", 30000)], 70000,
      { references: ["655969"], deductions: [{ reference: "657866", amount: 30000 }], shares: null, warnings: [expect.stringMatching(/TK22 amounts \(1000\.00 for 1 of 1 references\) do not add up to the payment's 700\.00/)] }],
    ["TK22 amounts that do not add up: the payer's order, with a warning", [tk20(120000), tk22("655969", 100000), tk22("657866", 50000)], 120000,
      { shares: null, warnings: [expect.stringMatching(/do not add up to the payment's 1200\.00: split in the payer's order/)] }],
  ])("%s", (_name, group, amount, expected) => {
    expect(parsedFile(parseBgMax(singlePaymentFile(group, amount))).payments[0]).toMatchObject(expected);
  });
});

describe("parseBgMax: fields that are only shown never refuse a file", () => {
  const tk20 = (extra: Record<number, string> = {}) => payment("20", { reference: "655969", amount: 100, code: "2", serial: 1 }, extra);
  it.each([
    ["a payer bankgiro with letters (TK20 3–12)", [tk20({ 3: "BG 123-45 " })], /TK20 payment payer bankgiro \(positions 3–12\) is not digits, got "BG 123-45"/],
    ["an org number of 11 digits and a space (TK29)", [tk20(), record("29", { 3: "55000012345 " })], /TK29\): the payer's organisation number .* got "55000012345"/],
    ["an org number with letters (TK29)", [tk20(), record("29", { 3: "55OOOO1234" })], /TK29\): the payer's organisation number/],
    ["a tab in a name (TK26)", [tk20(), record("26", { 3: "Kalles\tPlåt" })], /TK26\): The record contains a tab character/],
    ["an address past position 80 (TK27)", [tk20(), `${record("27", { 3: "Storgatan 2" })}   1`], /TK27\): The record is 84 characters long/],
  ])("%s: a warning on the payment", (_name, group, warning) => {
    const [read] = parsedFile(parseBgMax(singlePaymentFile(group, 100))).payments;
    expect(read).toMatchObject({ amount: 100, references: ["655969"] });
    expect(read!.warnings).toEqual([expect.stringMatching(warning)]);
  });
});

describe("parseBgMax: files as they really arrive", () => {
  it.each([
    ["records without line breaks", latin1(SAMPLE, "").slice(0)],
    ["CR line ends", latin1(SAMPLE, "\r")],
    ["record types it does not know, skipped", latin1(replaceLine(23, record("31", { 3: "en ny posttyp" }), SAMPLE[22]!, record("99")))],
  ])("reads the official sample with %s", (name, bytes) => {
    const payments = parsedFile(parseBgMax(bytes)).payments;
    expect(payments.map((payment) => [payment.amount, payment.references])).toEqual(SAMPLE_PAYMENTS.map((payment) => [payment.amount, payment.references]));
    if (name.startsWith("records without")) expect(payments.map((payment) => payment.position)).toEqual(SAMPLE_PAYMENTS.map((payment) => payment.position));
  });

  it.each([
    ["centuries before the file", "18040525", /TK15 payment date \(positions 38–45\) 1804-05-25 is \d+ days from the file's TK01 timestamp \(2004-05-25\)/],
    ["years after the file", "20070525", /2007-05-25 is 1095 days from/],
  ])("refuses a payment date %s, on its line", (_name, date, message) => {
    const result = parseBgMax(latin1(replaceLine(23, deposit({ date, amount: 190000, count: 3 }))));
    expect(result.ok ? [] : result.errors).toEqual([{ position: "line 23", message: expect.stringMatching(message) }]);
  });
});

describe("parseBgMax: references in the payer's text (code 3, TK25)", () => {
  const tk20 = (reference: string, code: string) => payment("20", { reference, amount: 122970, code, serial: 1 });
  it.each([
    ["an OCR in a code-3 reference", [tk20("Fakt 655969", "3")], ["655969"]],
    ["an OCR in a TK25 after a payment without reference", [tk20("", "1"), info("Avser OCR 655969, tack")], ["655969"]],
    ["several OCRs as the payer listed them", [tk20("657866 658765 657767", "3")], ["657866", "658765", "657767"]],
    ["a number failing the check digit", [tk20("Fakt 655968", "3")], []],
    ["an incorrect reference (code 5) is not guessed from", [tk20("655969", "5")], []],
    ["an amount", [tk20("", "1"), info("Belopp 1 229,70 kr")], []],
    ["a customer number", [tk20("Kundnr 655969", "3")], []],
  ])("%s", (_name, group, references) => {
    const [read] = parsedFile(parseBgMax(singlePaymentFile(group, 122970))).payments;
    expect(read).toMatchObject({ references, referenceChecked: false });
  });
});

describe("readBgMax streamed (check, then book, with the sections' dates)", () => {
  it("hands out the same payments in the same order, with the same ids, as a whole read, a group at a time", () => {
    const bytes = latin1(SAMPLE);
    const whole = parsedFile(parseBgMax(bytes)).payments;
    const sectionDates = new Map<number, string>();
    const checking = readBgMax(bytes, undefined, { sectionDates });
    let counted = 0;
    for (let next = checking.next(); !next.done; next = checking.next()) counted += 1;
    expect(counted).toBe(whole.length);
    expect(sectionDates.size).toBeGreaterThan(0);

    const streamed: BankPayment[] = [];
    const booking = readBgMax(bytes, undefined, { sectionDates });
    let next = booking.next();
    for (; !next.done; next = booking.next()) streamed.push(next.value);
    expect(next.value.ok).toBe(true);
    expect(streamed).toEqual(whole);
  });
});
