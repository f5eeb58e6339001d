import { describe, expect, it } from "vitest";
import { negotiateSpecVersion, parseAccept } from "./accept.ts";

const served = (header: string | undefined) => negotiateSpecVersion(header);

describe("Accept negotiation", () => {
  it("parses media ranges with version and q, highest q first", () => {
    expect(
      parseAccept(
        "application/vnd.coreos.ignition+json; version=2.4.0, application/vnd.coreos.ignition+json; version=1; q=0.5, */*; q=0.1",
      ),
    ).toEqual([
      { type: "application", subtype: "vnd.coreos.ignition+json", version: [2, 4, 0], q: 1 },
      { type: "application", subtype: "vnd.coreos.ignition+json", version: undefined, q: 0.5 },
      { type: "*", subtype: "*", version: undefined, q: 0.1 },
    ]);
    expect(parseAccept("an-invalid-accept-header")).toEqual([]);
  });

  it.each([
    ["application/vnd.coreos.ignition+json;version=3.4.0, */*;q=0.1", "3.4.0"],
    ["application/vnd.coreos.ignition+json;version=3.5.0, */*;q=0.1", "3.4.0"],
    ["application/vnd.coreos.ignition+json;version=3.2.0, */*;q=0.1", "3.2.0"],
    ["application/vnd.coreos.ignition+json;version=3.1.0", "3.1.0"],
    ["application/vnd.coreos.ignition+json; version=2.2.0, */*; q=0.1", "2.2.0"],
    // Ignition 0.x advertises 2.4.0 and is served 2.2.0, as upstream does.
    [
      "application/vnd.coreos.ignition+json; version=2.4.0, application/vnd.coreos.ignition+json; version=1; q=0.5",
      "2.2.0",
    ],
    // A lower-q 3.x entry loses to a higher-q 2.x one.
    [
      "application/vnd.coreos.ignition+json;version=3.4.0;q=0.2, application/vnd.coreos.ignition+json;version=2.2.0",
      "2.2.0",
    ],
  ])("%s → %s", (header, version) => {
    expect(served(header)).toEqual({ ok: true, version });
  });

  it("serves 2.2.0 to clients that are not Ignition or name no version (curl, browsers)", () => {
    for (const header of [
      undefined,
      "",
      "*/*",
      "text/plain",
      "application/vnd.coreos.ignition+json",
      "junk",
    ]) {
      expect(served(header)).toEqual({ ok: true, version: "2.2.0" });
    }
  });

  it("refuses a header naming only Ignition versions mob cannot serve", () => {
    for (const header of [
      "application/vnd.coreos.ignition+json;version=4.0.0",
      "application/vnd.coreos.ignition+json;version=2.1.0, */*;q=0.1",
    ]) {
      const result = served(header);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/unsupported Ignition spec version/);
    }
  });

  it("ignores entries with q=0", () => {
    expect(served("application/vnd.coreos.ignition+json;version=3.4.0;q=0")).toEqual({
      ok: true,
      version: "2.2.0",
    });
  });
});
