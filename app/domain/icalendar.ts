// iCalendar (RFC 5545) text for one all-day event: escaped TEXT values, lines folded at 75
// octets (never inside a UTF-8 character), CRLF line ends.

/** TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

const MAX_OCTETS = 75;

/**
 * Folds one content line (§3.1): at most 75 octets per line, continuation lines begin with a
 * space (counted in their 75), and a multi-byte character is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n");
}

/** YYYY-MM-DD → YYYYMMDD; the day after for an all-day event's exclusive end. */
function dateValue(date: string, plusDays = 0): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + plusDays)).toISOString().slice(0, 10).replace(/-/g, "");
}

function stamp(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export type AllDayEvent = {
  uid: string;
  /** YYYY-MM-DD. */
  date: string;
  summary: string;
  description: string;
  url: string | null;
  /** RFC 5646 language tag of the texts (sv-SE, en-GB). */
  language: string;
  now: Date;
};

/** A VCALENDAR with one all-day VEVENT, ready to serve as text/calendar. */
export function allDayCalendar(event: AllDayEvent): string {
  const language = `;LANGUAGE=${event.language}`;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Payer Portal//Due date//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${event.uid}`,
    `DTSTAMP:${stamp(event.now)}`,
    `DTSTART;VALUE=DATE:${dateValue(event.date)}`,
    `DTEND;VALUE=DATE:${dateValue(event.date, 1)}`,
    `SUMMARY${language}:${escapeText(event.summary)}`,
    `DESCRIPTION${language}:${escapeText(event.description)}`,
    ...(event.url ? [`URL:${event.url}`] : []),
    "TRANSP:TRANSPARENT",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
