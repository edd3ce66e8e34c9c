import { describe, it, expect } from "vitest";
import {
  IBAN_LENGTHS,
  formatIban,
  ibanCheckDigits,
  isValidTimeZone,
  validateBankgiro,
  validateBic,
  validateIban,
  validateOrgNumber,
  validatePlusgiro,
  validateSwishNumber,
  validateTimeZone,
  validateVatNumber,
  type IdentifierResult,
} from "./identifiers";

type Validator = (input: string) => IdentifierResult;
type Case = [input: string, expected: string | RegExp];

/** A string expects { ok: true, value }, a RegExp expects a failure whose message matches. */
function runCases(name: string, validate: Validator, cases: Case[]): void {
  describe(name, () => {
    it.each(cases)("%j → %s", (input, expected) => {
      const result = validate(input);
      if (typeof expected === "string") {
        expect(result).toEqual({ ok: true, value: expected });
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.message).toMatch(expected);
      }
    });
  });
}

runCases("validateOrgNumber", validateOrgNumber, [
  ["556016-0680", "556016-0680"],
  ["5560160680", "556016-0680"],
  [" 556012-5790 ", "556012-5790"],
  ["202100-5489", "202100-5489"],
  ["811218-9876", "811218-9876"], // personnummer of a sole trader
  ["556974-1234", /wrong check digit/],
  ["556016-0681", /wrong check digit/],
  ["55601-60680", /10 digits/],
  ["556016-068", /10 digits/],
  ["19811218-9876", /10 digits/],
  ["556016–0680", /10 digits/], // en dash
  ["", /10 digits/],
  ["811318-9875", /neither a company nor a personal number/], // month 13
  ["811200-9876", /neither a company nor a personal number/], // day 00
]);

runCases("validateVatNumber", validateVatNumber, [
  ["SE556016068001", "SE556016068001"],
  ["se 5560 1606 8001", "SE556016068001"],
  ["SE556012579001", "SE556012579001"],
  ["SE811218987601", "SE811218987601"],
  ["SE556016068002", /must end in 01/],
  ["SE556974123401", /Swedish VAT number has a wrong check digit/],
  ["SE5560160680", /SE followed by 12 digits/],
  ["SE55601606800A", /SE followed by 12 digits/],
  ["DE123456789", "DE123456789"],
  ["fr 40 303 265 045", "FR40303265045"],
  ["BE0123.456.789", "BE0123456789"],
  ["NL123456789B01", "NL123456789B01"],
  ["ATU12345678", "ATU12345678"],
  ["DE1", /country code followed by 2 to 13/],
  ["DE12345678901234", /country code followed by 2 to 13/],
  ["DE12_345", /country code followed by 2 to 13/],
  ["123456789", /two-letter country code/],
  ["", /two-letter country code/],
]);

runCases("validateBankgiro", validateBankgiro, [
  ["991-2346", "991-2346"],
  ["378-3511", "378-3511"],
  ["433-8778", "433-8778"],
  ["5050-1055", "5050-1055"],
  ["5536-7742", "5536-7742"],
  ["9912346", "991-2346"],
  ["55367742", "5536-7742"],
  [" 5536 7742 ", "5536-7742"],
  ["123-4567", /Bankgiro number has a wrong check digit/],
  ["970-1233", /Bankgiro number has a wrong check digit/],
  ["99-12346", "991-2346"],
  ["991234", /7 or 8 digits/],
  ["123456789", /7 or 8 digits/],
  ["991-23-46", /only digits and one dash/],
  ["BG 991-2346", /only digits and one dash/],
  ["", /only digits and one dash/],
]);

runCases("validatePlusgiro", validatePlusgiro, [
  ["4289013", "428901-3"],
  ["428901-3", "428901-3"],
  ["4 28 90 1-3", "428901-3"],
  ["42895", "4289-5"],
  ["4289-5", "4289-5"],
  ["18", "1-8"], // 2 digits: the shortest allowed
  ["4289014", /Plusgiro number has a wrong check digit/],
  ["4289-6", /Plusgiro number has a wrong check digit/],
  ["8", /2 to 8 digits/],
  ["123456789", /2 to 8 digits/],
  ["4289-55", /dash before the last one/],
  ["PG 42895", /dash before the last one/],
]);

runCases("validateIban", validateIban, [
  ["SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466"],
  ["se4550000000058398257466", "SE4550000000058398257466"],
  ["DE89 3704 0044 0532 0130 00", "DE89370400440532013000"],
  ["GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"],
  ["DK48 3000 4073 0138 95", "DK4830004073013895"],
  ["FI21 1234 5600 0007 85", "FI2112345600000785"],
  ["NO93 8601 1117 947", "NO9386011117947"],
  ["FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"],
  ["NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"],
  ["ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332"],
  ["SE46 5000 0000 0583 9825 7466", /wrong check digits/],
  ["SE45 5000 0000 0583 9825 7467", /wrong check digits/],
  ["GB82 WEST 1234 5698 7654 23", /wrong check digits/], // transposed digits
  ["SE45 5000 0000 0583 9825 746", /SE must have 24 characters/],
  ["DE89 3704 0044 0532 0130 000", /DE must have 22 characters/],
  ["NO93 8601 1117 94", /NO must have 15 characters/],
  ["XX00 1234", /15 to 34 characters/],
  ["SEXX 5000 0000 0583 9825 7466", /country code, two check digits/],
  ["SE45-5000-0000-0583-9825-7466", /country code, two check digits/],
  ["", /country code, two check digits/],
]);

describe("IBAN_LENGTHS", () => {
  it.each([
    ["SE", 24], ["DE", 22], ["GB", 22], ["DK", 18], ["FI", 18],
    ["NO", 15], ["FR", 27], ["NL", 18], ["ES", 24],
  ])("%s has %i characters", (country, length) => {
    expect(IBAN_LENGTHS[country]).toBe(length);
  });

  it("accepts a generated IBAN of the right length for every listed country", () => {
    for (const [country, length] of Object.entries(IBAN_LENGTHS)) {
      const bban = "1".repeat(length - 4);
      const iban = `${country}${ibanCheckDigits(country, bban)}${bban}`;
      expect(validateIban(iban)).toEqual({ ok: true, value: iban });
    }
  });
});

describe("ibanCheckDigits", () => {
  it.each([
    ["SE", "50000000058398257466", "45"],
    ["DE", "370400440532013000", "89"],
    ["GB", "WEST12345698765432", "82"],
    ["dk", "30004073013895", "48"],
  ])("%s %s → %s", (country, bban, expected) => {
    expect(ibanCheckDigits(country, bban)).toBe(expected);
  });

  it.each([["S", "123"], ["SE", ""], ["SE", "12-3"]])("rejects %j %j", (country, bban) => {
    expect(() => ibanCheckDigits(country, bban)).toThrow();
  });
});

describe("formatIban", () => {
  it.each([
    ["SE4550000000058398257466", "SE45 5000 0000 0583 9825 7466"],
    ["gb82west12345698765432", "GB82 WEST 1234 5698 7654 32"],
    [" NO93 86011117947 ", "NO93 8601 1117 947"],
    ["DK4830004073013895", "DK48 3000 4073 0138 95"],
  ])("%j → %j", (input, expected) => {
    expect(formatIban(input)).toBe(expected);
  });
});

runCases("validateBic", validateBic, [
  ["ESSESESS", "ESSESESS"],
  ["essesess", "ESSESESS"],
  ["ESSESESSXXX", "ESSESESSXXX"],
  ["DEUTDEFF500", "DEUTDEFF500"],
  ["NDEA SE SS", "NDEASESS"],
  ["ESSESES", /8 or 11 characters/],
  ["ESSESESSXX", /8 or 11 characters/],
  ["ESS1SESS", /bank code/],
  ["ESSE5ESS", /bank code/],
  ["ESSESES_", /bank code/],
]);

runCases("validateSwishNumber", validateSwishNumber, [
  ["1231181189", "1231181189"],
  ["123 785 69 01", "1237856901"],
  ["0708123456", "46708123456"],
  ["070-812 34 56", "46708123456"],
  ["+46 70 812 34 56", "46708123456"],
  ["0046708123456", "46708123456"],
  ["46708123456", "46708123456"],
  ["1241181189", /business number starting with 123/],
  ["123118118", /business number starting with 123/],
  ["08123456", /business number starting with 123/],
  ["070812345", /business number starting with 123/],
  ["4670812345", /business number starting with 123/],
  ["+4412345678", /business number starting with 123/],
  ["", /business number starting with 123/],
]);

runCases("validateTimeZone", validateTimeZone, [
  ["Europe/Stockholm", "Europe/Stockholm"],
  ["europe/stockholm", "Europe/Stockholm"],
  [" America/New_York ", "America/New_York"],
  ["UTC", "UTC"],
  ["Asia/Kolkata", "Asia/Kolkata"],
  ["Europe/Kyiv", "Europe/Kyiv"],
  ["EUROPE/OSLO", "Europe/Oslo"],
  ["Europe/Stockhom", /not a known IANA time zone/],
  ["Mars/Olympus_Mons", /not a known IANA time zone/],
  ["+01:00", /IANA/],
  ["", /empty/],
]);

describe("isValidTimeZone", () => {
  it.each([
    ["Europe/Stockholm", true],
    ["Pacific/Kiritimati", true],
    ["Etc/GMT-14", true],
    ["Europe/Atlantis", false],
    ["GMT+25", false],
    ["", false],
  ])("%j → %s", (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});
