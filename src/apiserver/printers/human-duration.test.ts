import { describe, expect, it } from "vitest";
import { age, humanDuration } from "./human-duration.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe("humanDuration", () => {
  it.each([
    [-2 * s, "<invalid>"],
    [-1999, "0s"],
    [-1 * s, "0s"],
    [-500, "0s"],
    [0, "0s"],
    [999, "0s"],
    [59 * s, "59s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [2 * m + 1 * s, "2m1s"],
    [5 * m, "5m"],
    [9 * m + 59 * s, "9m59s"],
    [10 * m, "10m"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 5 * m, "3h5m"],
    [7 * h + 59 * m, "7h59m"],
    [8 * h, "8h"],
    [47 * h + 59 * m, "47h"],
    [48 * h, "2d"],
    [2 * d + 3 * h, "2d3h"],
    [7 * d + 23 * h, "7d23h"],
    [8 * d, "8d"],
    [729 * d, "729d"],
    [2 * y, "2y"],
    [2 * y + 10 * d, "2y10d"],
    [7 * y + 364 * d, "7y364d"],
    [8 * y, "8y"],
    [20 * y + 100 * d, "20y"],
  ])("%d ms → %s", (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe("age", () => {
  const now = new Date("2026-01-01T12:00:00Z");

  it("is <unknown> for a missing or zero timestamp", () => {
    expect(age(undefined, now)).toBe("<unknown>");
    expect(age("", now)).toBe("<unknown>");
  });

  it("is <invalid> for a timestamp that does not parse", () => {
    expect(age("yesterday-ish", now)).toBe("<invalid>");
  });

  it("measures from the timestamp to now", () => {
    expect(age("2026-01-01T11:55:00Z", now)).toBe("5m");
    expect(age("2025-12-30T10:00:00Z", now)).toBe("2d2h");
  });

  it("tolerates a second of clock skew", () => {
    expect(age("2026-01-01T12:00:01Z", now)).toBe("0s");
    expect(age("2026-01-01T12:00:05Z", now)).toBe("<invalid>");
  });
});
