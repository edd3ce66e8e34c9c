import { describe, expect, it } from "vitest";
import { REMINDER_STEPS } from "~/domain/reminder-policy";
import { emailTemplates, renderEmail } from "./index";
import { SAMPLE_BRAND as brand, SAMPLE_INVOICE, previewContext } from "./components/preview";

const base = emailTemplates["payment-reminder"].previewProps;
const noCharges = { ...base, fee: 0, interest: null };
const normalise = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
const reminder = async (props: object, locale: "sv" | "en" = "sv", context = previewContext(emailTemplates["payment-reminder"], locale)) => {
  const email = await renderEmail("payment-reminder", { ...base, ...props }, context);
  return { ...email, text: normalise(email.text), html: normalise(email.html) };
};

describe("payment-reminder subjects", () => {
  it("names the step and the due date, in each language", async () => {
    const subjects = { sv: [] as string[], en: [] as string[] };
    for (const step of REMINDER_STEPS) {
      for (const locale of ["sv", "en"] as const) subjects[locale].push((await reminder({ step }, locale)).subject);
    }
    expect(subjects.sv).toEqual([
      "Faktura 2026-1001 förfaller den 20 november 2026",
      "Påminnelse: faktura 2026-1001 förföll den 20 november 2026",
      "Andra påminnelsen: faktura 2026-1001 förföll den 20 november 2026",
      "Sista påminnelsen: faktura 2026-1001 förföll den 20 november 2026",
    ]);
    expect(subjects.en).toEqual([
      "Invoice 2026-1001 is due on 20 November 2026",
      "Reminder: invoice 2026-1001 was due on 20 November 2026",
      "Second reminder: invoice 2026-1001 was due on 20 November 2026",
      "Final reminder: invoice 2026-1001 was due on 20 November 2026",
    ]);
    expect(new Set([...subjects.sv, ...subjects.en]).size).toBe(8);
  });
});

describe("payment-reminder body", () => {
  it.each(REMINDER_STEPS)("says the invoice copy is attached (%s)", async (step) => {
    expect((await reminder({ step }, "sv")).text).toContain("En kopia av fakturan är bifogad.");
    expect((await reminder({ step }, "en")).text).toContain("A copy of the invoice is attached.");
  });

  it("is friendly before the due date and clear that the final notice is the last, without threats", async () => {
    const before = await reminder({ step: "before_due" }, "en");
    expect(before.text).toContain("A friendly reminder");
    expect(before.text).toContain("is due on 20 November 2026");
    const final = await reminder({ step: "final" }, "en");
    expect(final.text).toContain("This is the final reminder");
    expect(final.text).toContain("No further reminders will be sent.");
    const finalSv = await reminder({ step: "final" }, "sv");
    expect(finalSv.text).toContain("Det här är den sista påminnelsen");
    for (const text of [final.text, finalSv.text]) expect(text).not.toMatch(/inkasso|collection|kronofogd|bailiff|legal/i);
  });

  it("states the fee and the total with it only when there is a fee", async () => {
    const withFee = await reminder({ step: "first", fee: 6000, interest: null });
    expect(withFee.text).toContain("Påminnelseavgift: 60,00 kr");
    expect(withFee.text).toContain("Totalt att betala: 12 560,00 kr");
    const en = await reminder({ step: "second", fee: 6000, interest: null }, "en");
    expect(en.text).toContain("Reminder fee: SEK 60.00");
    expect(en.text).toContain("Total to pay: SEK 12,560.00");

    const without = await reminder({ ...noCharges, step: "first" });
    expect(without.text).not.toContain("Påminnelseavgift");
    expect(without.text).not.toContain("Totalt att betala");
    expect(without.text).toContain("Att betala: 12 500,00 kr");
  });

  it("never states a fee before the due date, even if one is passed", async () => {
    const email = await reminder({ step: "before_due", fee: 6000 });
    expect(email.text).not.toContain("Påminnelseavgift");
    expect(email.text).not.toContain("12 560,00");
    expect(email.text).not.toContain("Dröjsmålsränta");
  });

  it("states the late-payment interest only when it is given", async () => {
    const sv = await reminder({ step: "second", interest: { amount: 3425, rateBp: 1050, from: "2026-11-20" } });
    expect(sv.text).toContain("Dröjsmålsränta med 10,5 % per år från den 20 november 2026: hittills 34,25 kr");
    const en = await reminder({ step: "final", interest: { amount: 12000, rateBp: 1200, from: "2026-12-20" } }, "en");
    expect(en.text).toContain("Late-payment interest at 12% a year from 20 December 2026: SEK 120.00 so far");
    expect((await reminder({ step: "first", interest: null })).text).not.toContain("Dröjsmålsränta");
  });

  it("asks for what is due when sending: a part payment since queueing counts", async () => {
    const context = { ...previewContext(emailTemplates["payment-reminder"], "sv"), invoice: { ...SAMPLE_INVOICE, amountDue: 500000 } };
    const email = await reminder({ step: "first", fee: 6000 }, "sv", context);
    expect(email.text).toContain("Att betala: 5 000,00 kr");
    expect(email.text).toContain("Totalt att betala: 5 060,00 kr");
    expect(email.text).not.toContain("12 500,00");
  });

  it("says the invoice is paid, with no fee, when nothing is due any more", async () => {
    const context = { ...previewContext(emailTemplates["payment-reminder"], "en"), invoice: { ...SAMPLE_INVOICE, amountDue: 0 } };
    const email = await reminder({ step: "second", fee: 6000 }, "en", context);
    expect(email.text).toContain("Invoice 2026-1001 is paid: there is nothing left to pay.");
    expect(email.text).not.toContain("Reminder fee");
    expect(email.text).not.toContain("OCR");
  });

  it("shows the amounts in its own body when the context has no invoice", async () => {
    const email = await reminder({ step: "first", fee: 6000 }, "sv", { locale: "sv", brand });
    expect(email.text).toContain("Att betala: 12 500,00 kr");
    expect(email.text).toContain("Påminnelseavgift: 60,00 kr");
    expect(email.text).toContain("Totalt att betala: 12 560,00 kr");
  });

  it("refuses a step it does not know and a negative fee", async () => {
    await expect(renderEmail("payment-reminder", { ...base, step: "third" }, { locale: "sv", brand })).rejects.toThrow(/step/);
    await expect(renderEmail("payment-reminder", { ...base, fee: -100 }, { locale: "sv", brand })).rejects.toThrow(/fee/);
  });
});
