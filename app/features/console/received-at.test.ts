import { describe, expect, it } from "vitest";
import { receivedAt } from "./invoice-actions.server";

describe("a recorded payment's date from the console form", () => {
  it("is noon UTC of that day, or now for today before noon (never in the future)", () => {
    const morning = new Date("2026-12-08T06:30:00Z");
    expect(receivedAt("2026-12-07", morning, "2026-12-08")).toBe("2026-12-07T12:00:00.000Z");
    expect(receivedAt("2026-12-08", morning, "2026-12-08")).toBe("2026-12-08T06:30:00.000Z");
    expect(receivedAt("2026-12-08", new Date("2026-12-08T15:00:00Z"), "2026-12-08")).toBe("2026-12-08T12:00:00.000Z");
    // Tomorrow stays tomorrow: the use case refuses it by name.
    expect(receivedAt("2026-12-09", morning, "2026-12-08")).toBe("2026-12-09T12:00:00.000Z");
    expect(receivedAt("8/12", morning, "2026-12-08")).toBe("8/12");
  });
});
