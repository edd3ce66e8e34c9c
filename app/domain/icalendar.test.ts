import { describe, expect, it } from "vitest";
import { allDayCalendar, escapeText, foldLine } from "./icalendar";

const octets = (line: string) => Buffer.byteLength(line, "utf8");

describe("escapeText", () => {
  it.each([
    ["plain", "plain"],
    ["a,b;c\\d", "a\\,b\\;c\\\\d"],
    ["line 1\nline 2\r\nline 3", "line 1\\nline 2\\nline 3"],
  ])("%j → %j", (input, expected) => expect(escapeText(input)).toBe(expected));
});

describe("foldLine", () => {
  it.each([
    ["short", "SUMMARY:Faktura 1042"],
    ["ASCII over 75", `DESCRIPTION:${"x".repeat(200)}`],
    ["å, ä, ö across every boundary", `SUMMARY:${"åäö".repeat(60)}`],
    ["a four-octet character", `SUMMARY:${"a".repeat(73)}😀b`],
  ])("%s: lines of at most 75 octets that unfold to the input, no character split", (_name, line) => {
    const folded = foldLine(line);
    const lines = folded.split("\r\n");
    for (const part of lines) expect(octets(part)).toBeLessThanOrEqual(75);
    lines.slice(1).forEach((part) => expect(part.startsWith(" ")).toBe(true));
    expect(folded.replace(/\r\n /g, "")).toBe(line);
    expect(folded).not.toContain("\uFFFD");
  });
});

describe("allDayCalendar", () => {
  it("is one VEVENT on the date, ending the next day, CRLF throughout", () => {
    const text = allDayCalendar({
      uid: "inv_1-due@portal.example", date: "2026-12-31", summary: "Faktura 1042, Acme AB", description: "Rad 1\nRad 2",
      url: "https://portal.example/p/abc", language: "sv-SE", now: new Date("2026-12-07T12:34:56.789Z"),
    });
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = text.replace(/\r\n /g, "").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines).toEqual(expect.arrayContaining([
      "VERSION:2.0", "UID:inv_1-due@portal.example", "DTSTAMP:20261207T123456Z", "DTSTART;VALUE=DATE:20261231",
      "DTEND;VALUE=DATE:20270101", "SUMMARY;LANGUAGE=sv-SE:Faktura 1042\\, Acme AB", "DESCRIPTION;LANGUAGE=sv-SE:Rad 1\\nRad 2",
      "URL:https://portal.example/p/abc",
    ]));
    expect(lines.filter((line) => line === "BEGIN:VEVENT")).toHaveLength(1);
  });
});
