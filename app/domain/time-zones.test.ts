import { describe, expect, it } from "vitest";
import { EUROPEAN_TIME_ZONES, timeZoneChoices } from "./time-zones";
import { validateTimeZone } from "./identifiers";

describe("the time zones offered in the console", () => {
  it.each(EUROPEAN_TIME_ZONES)("%s is a zone the settings accept as it is", (zone) => {
    expect(validateTimeZone(zone)).toEqual({ ok: true, value: zone });
  });

  it("lists every zone once, Europe's first, and keeps a stored zone the runtime does not list", () => {
    const { europe, other } = timeZoneChoices("Europe/Stockholm");
    expect(new Set([...europe, ...other]).size).toBe(europe.length + other.length);
    expect(other).toContain("America/New_York");
    expect(timeZoneChoices("Etc/GMT-1").other[0]).toBe("Etc/GMT-1");
  });
});
