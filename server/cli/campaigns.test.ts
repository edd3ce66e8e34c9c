import { describe, expect, it } from "vitest";
import { audienceFrom, flagError, followSending, localTime } from "./campaigns";

/** A clock that moves only when the code under test sleeps. */
function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

function recorder() {
  const updates: [number, number][] = [];
  let finished = 0;
  return { updates, finished: () => finished, update: (done: number, total: number) => void updates.push([done, total]), done: () => void (finished += 1) };
}

describe("followSending", () => {
  it("polls every second until no email is queued, drawing each step", async () => {
    const queuedSeries = [3, 2, 2, 0];
    const progress = recorder();
    const clock = fakeClock();
    const outcome = await followSending(async () => ({ total: 3, queued: queuedSeries.shift()! }), progress, clock);
    expect(outcome).toBe("sent");
    expect(progress.updates).toEqual([[0, 3], [1, 3], [1, 3], [3, 3]]);
    expect(clock.now()).toBe(3000);
    expect(progress.finished()).toBe(1);
  });

  it("gives up when nothing moved for 30 s (no worker is sending)", async () => {
    const progress = recorder();
    const clock = fakeClock();
    const outcome = await followSending(async () => ({ total: 10, queued: clock.now() < 5000 ? 10 - clock.now() / 1000 : 5 }), progress, clock);
    expect(outcome).toBe("stalled");
    // The last change was at 5 s; 30 s without one after that.
    expect(clock.now()).toBe(35_000);
    expect(progress.finished()).toBe(1);
  });
});

describe("the campaign flags", () => {
  it.each([
    ["all", "all"],
    ["open_invoices", "open_invoices"],
    ["stale:12", { stale_months: 12 }],
    ["ids:cus_a, cus_b,", { customer_ids: ["cus_a", "cus_b"] }],
    ["stale:twelve", "stale:twelve"],
  ])("--audience %s", (flag, audience) => {
    expect(audienceFrom(flag)).toEqual(audience);
  });

  it.each([
    [{ field: "audience.customer_ids[1]", message: "no customer with this id" }, "--audience ids: cus_b: no customer with this id"],
    [{ field: "audience", message: "audience must be …" }, "--audience: must be all, open_invoices, stale:<months> or ids:cus_a,cus_b"],
    [{ field: "audience.stale_months", message: "stale_months must be 1 to 120" }, "--audience: stale_months must be 1 to 120"],
    [{ field: "start_at", message: "start_at must be a date" }, "--start-at: start_at must be a date"],
  ])("names %j as the flag", (error, text) => {
    expect(flagError(error, ["cus_a", "cus_b"])).toBe(text);
  });

  it.each([
    ["2027-01-01T00:00:00+01:00", "end of 2026-12-31"],
    ["2026-12-31T16:00:00+01:00", "2026-12-31 16:00"],
    ["2026-07-01T22:00:00Z", "end of 2026-07-01"],
  ])("shows the deadline %s as %s in Stockholm", (iso, text) => {
    expect(localTime(iso, "Europe/Stockholm")).toBe(text);
  });
});
