import { describe, expect, it } from "vitest";
import { referencesInFreeText } from "./free-text-references";

// A guess from the payer's text must never be an amount, a rate, a date or a number the text
// calls something else (security P10): only OCR numbers with a valid check digit and valid RFs.
describe("referencesInFreeText", () => {
  it.each([
    ["RF grouped by four", "Faktura RF18 5390 0754 7034 tack", ["RF18539007547034"]],
    ["RF lowercase with punctuation", "ref: rf18539007547034.", ["RF18539007547034"]],
    ["RF wins over numbers", "655969 RF71655969", ["RF71655969"]],
    ["RF with a wrong check digit is no RF", "RF19 5390 0754 7034", []],
    ["an OCR number", "OCR 655969", ["655969"]],
    ["OCR with leading zeros", "OCR:000655969", ["000655969"]],
    ["several OCR numbers", "Avser 655969 och 657866, 655969", ["655969", "657866"]],
    ["OCRs listed with spaces, as in Bankgirot's sample", "657866 658765 657767", ["657866", "658765", "657767"]],
    ["a number failing Luhn", "Faktura 12345", []],
    ["zeros of an account number", "SE45 5000 0000 0583", []],
    ["nothing", "Tack för senast!", []],
    // Each of these numbers passes the Luhn check: only its context says it is no reference.
    ["an amount with decimals", "Betalt 655969.00", []],
    ["an amount with a decimal comma", "Belopp 655969,50", []],
    ["an amount grouped by thousands", "Summa 655 969,00 SEK", []],
    ["an amount in kronor", "655969 kr", []],
    ["an amount with :-", "655969:-", []],
    ["an amount after a currency", "EUR 655969", []],
    ["an exchange rate", "kurs 10,655969", []],
    ["a percentage", "rabatt 18%", []],
    ["a date", "betalt 2026-03-20, OCR 655969", ["655969"]],
    ["a customer number", "Kundnr 655969", []],
    ["a customer number written out", "Kund nr: 655969", []],
    ["a customer number in English", "Customer no 655969", []],
    ["an account number", "från konto 655969", []],
    ["an organisation number", "orgnr 5560160680", []],
    ["the invoice after a customer number", "Kundnr 4711 faktura 655969", ["655969"]],
  ])("%s", (_name, text, expected) => {
    expect(referencesInFreeText(text)).toEqual(expected);
  });
});
