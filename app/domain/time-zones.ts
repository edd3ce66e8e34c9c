// The time zones a supplier picks from in the console: every EU and EEA country's (and the UK's and
// Switzerland's) first, then the rest the runtime knows. Which names are valid is decided by
// validateTimeZone (domain/identifiers), not by this list.

/** EU member states, then the EEA, Switzerland and the UK; one zone per country unless it spans several. */
export const EUROPEAN_TIME_ZONES = [
  "Europe/Stockholm", "Europe/Helsinki", "Europe/Copenhagen", "Europe/Tallinn", "Europe/Riga", "Europe/Vilnius",
  "Europe/Berlin", "Europe/Amsterdam", "Europe/Brussels", "Europe/Luxembourg", "Europe/Paris", "Europe/Dublin",
  "Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary", "Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores",
  "Europe/Rome", "Europe/Malta", "Europe/Vienna", "Europe/Prague", "Europe/Bratislava", "Europe/Warsaw",
  "Europe/Budapest", "Europe/Ljubljana", "Europe/Zagreb", "Europe/Bucharest", "Europe/Sofia", "Europe/Athens",
  "Asia/Nicosia", "Europe/Oslo", "Atlantic/Reykjavik", "Europe/Vaduz", "Europe/Zurich", "Europe/London",
] as const;

/** The choices for a select: the European zones, the others (sorted), and the current one if neither has it. */
export function timeZoneChoices(current: string): { europe: string[]; other: string[] } {
  const europe: string[] = [...EUROPEAN_TIME_ZONES];
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const other = known.filter((zone) => !europe.includes(zone));
  if (current !== "" && !europe.includes(current) && !other.includes(current)) other.unshift(current);
  return { europe, other };
}
