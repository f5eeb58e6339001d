import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeFileContents, decodeResource } from "./contents.ts";
import { parseDataUrl } from "./data-url.ts";
import { IgnitionError } from "./types.ts";

const b64 = (data: Buffer | string): string => Buffer.from(data).toString("base64");
const sha = (algorithm: string, data: string): string =>
  `${algorithm}-${createHash(algorithm).update(data).digest("hex")}`;

function decodeError(run: () => unknown): IgnitionError {
  try {
    run();
  } catch (error) {
    if (error instanceof IgnitionError) return error;
    throw error;
  }
  throw new Error("expected an IgnitionError");
}

describe("parseDataUrl", () => {
  it.each([
    ["data:,hello%20world", "text/plain;charset=US-ASCII", "hello world"],
    ["data:text/plain;charset=utf-8,caf%C3%A9", "text/plain;charset=utf-8", "café"],
    [`data:;base64,${b64("line\n")}`, "text/plain;charset=US-ASCII", "line\n"],
    [`data:application/octet-stream;BASE64,${b64("x")}`, "application/octet-stream", "x"],
    ["data:,a%2Bb+c", "text/plain;charset=US-ASCII", "a+b+c"],
    ["DATA:,raw é", "text/plain;charset=US-ASCII", "raw é"],
    ["data:;base64,aGk%3D", "text/plain;charset=US-ASCII", "hi"],
  ])("%s", (url, mediaType, text) => {
    const parsed = parseDataUrl(url);
    expect(parsed).toEqual({ mediaType, data: Buffer.from(text) });
  });

  it("keeps arbitrary bytes from percent escapes", () => {
    expect(parseDataUrl("data:,%00%FF")).toMatchObject({ data: Buffer.from([0, 255]) });
  });

  it.each(["http://x", "data:no-comma", "data:,%G0", "data:,%4", "data:;base64,abc", "data:;base64,a b="])(
    "refuses %s",
    (url) => {
      expect(parseDataUrl(url)).toHaveProperty("error");
    },
  );
});

describe("decodeFileContents", () => {
  it("decodes gzip contents, then appends fragments in order", () => {
    const data = decodeFileContents({
      path: "/etc/a",
      contents: { source: `data:;base64,${b64(gzipSync("first\n"))}`, compression: "gzip" },
      append: [
        { source: "data:,second%0A" },
        { source: `data:;base64,${b64(gzipSync("third"))}`, compression: "gzip" },
      ],
    });
    expect(data.toString()).toBe("first\nsecond\nthird");
  });

  it("gives an empty file without a source", () => {
    expect(decodeFileContents({ path: "/a" })).toEqual(Buffer.alloc(0));
    expect(decodeFileContents({ path: "/a", contents: {} })).toEqual(Buffer.alloc(0));
  });

  it("checks sha512 and sha256 hashes over the decompressed bytes", () => {
    const source = `data:;base64,${b64(gzipSync("payload"))}`;
    for (const algorithm of ["sha512", "sha256"]) {
      const hash = sha(algorithm, "payload").toUpperCase().replace(/^SHA/, "sha");
      const data = decodeResource({ source, compression: "gzip", verification: { hash } }, "x");
      expect(data.toString()).toBe("payload");
    }
  });

  it("fails on a hash mismatch, naming the entry", () => {
    const error = decodeError(() =>
      decodeFileContents({
        path: "/etc/a",
        append: [{ source: "data:,tampered", verification: { hash: sha("sha256", "original") } }],
      }),
    );
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: "/etc/a: append[0]",
        code: "Invalid",
        message: expect.stringContaining("sha256 mismatch"),
      }),
    ]);
  });

  it.each([
    [
      { source: "https://example.com/x" },
      "SourceUnsupported",
      'mob applies only data: URL sources, got "https:"',
    ],
    [{ source: "data:,x", compression: "bzip2" }, "Invalid", 'unsupported compression "bzip2"'],
    [{ source: "data:,not-gzip", compression: "gzip" }, "Invalid", "gzip decompression failed"],
    [{ source: "data:,x", verification: { hash: "sha1-00" } }, "Invalid", "is not sha512-<hex>"],
    [{ source: "data:;base64,@@@@" }, "Invalid", "not valid padded base64"],
  ])("refuses %j", (resource, code, message) => {
    const error = decodeError(() => decodeResource(resource, "where"));
    expect(error.issues[0]).toMatchObject({ path: "where", code });
    expect(error.issues[0]?.message).toContain(message);
  });
});
