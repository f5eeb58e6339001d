import { describe, expect, it } from "vitest";
import { LogRenderer, parseLogLine, tail } from "./log-lines.ts";

describe("log lines", () => {
  it("parses RFC 3339 stamps with any fraction and leaves other lines whole", () => {
    expect(parseLogLine("2026-01-02T03:04:05.123456789Z hello world")).toEqual({
      stamp: "2026-01-02T03:04:05.123456789Z",
      timeMs: Date.parse("2026-01-02T03:04:05.123Z"),
      text: "hello world",
    });
    expect(parseLogLine("2026-01-02T03:04:05+02:00 x").timeMs).toBe(Date.parse("2026-01-02T01:04:05Z"));
    expect(parseLogLine("no stamp here")).toEqual({
      stamp: undefined,
      timeMs: undefined,
      text: "no stamp here",
    });
  });

  it("tails and renders with a byte limit", () => {
    expect(tail([1, 2, 3], 2)).toEqual([2, 3]);
    expect(tail([1, 2, 3], 0)).toEqual([]);
    const out: Buffer[] = [];
    const renderer = new LogRenderer({ timestamps: true, sinceMs: undefined, limitBytes: 10 }, (c) =>
      out.push(c),
    );
    renderer.line(parseLogLine("plain"));
    renderer.line(parseLogLine("2026-01-02T03:04:05Z x"));
    expect(Buffer.concat(out).toString()).toBe("plain\n2026");
    expect(renderer.full).toBe(true);
  });
});
