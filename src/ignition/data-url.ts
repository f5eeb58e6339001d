// RFC 2397 data URLs: `data:[<mediatype>][;base64],<data>`. The data part is percent-decoded to bytes
// first (it may carry any byte as %XX); with `;base64` those bytes must then be standard, padded base64.

export type DataUrlResult = { mediaType: string; data: Buffer } | { error: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

export function isDataUrl(source: string): boolean {
  return source.slice(0, 5).toLowerCase() === "data:";
}

export function parseDataUrl(source: string): DataUrlResult {
  if (!isDataUrl(source)) return { error: "not a data: URL" };
  const comma = source.indexOf(",");
  if (comma < 0) return { error: "data URL has no ',' before its data" };
  const params = source.slice(5, comma).split(";");
  const base64 = params.length > 1 && params.at(-1)?.toLowerCase() === "base64";
  if (base64) params.pop();
  const mediaType = params.join(";") || "text/plain;charset=US-ASCII";
  const bytes = percentDecode(source.slice(comma + 1));
  if (typeof bytes === "string") return { error: bytes };
  if (!base64) return { mediaType, data: bytes };
  const text = bytes.toString("latin1");
  if (!BASE64.test(text) || text.length % 4 !== 0) {
    return { error: "data URL is marked ;base64 but its data is not valid padded base64" };
  }
  return { mediaType, data: Buffer.from(text, "base64") };
}

/** Bytes, or an error message for a malformed escape. */
function percentDecode(text: string): Buffer | string {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === "%") {
      const pair = text.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(pair)) return `data URL has a malformed percent escape at offset ${i}`;
      out.push(Number.parseInt(pair, 16));
      i += 2;
      continue;
    }
    const code = char.charCodeAt(0);
    if (code < 0x80) out.push(code);
    else {
      // Raw non-ASCII text is not valid in a URL, but Ignition configs carry it; keep it as UTF-8.
      const point = text.codePointAt(i) ?? code;
      const encoded = Buffer.from(String.fromCodePoint(point), "utf8");
      out.push(...encoded);
      if (point > 0xffff) i++;
    }
  }
  return Buffer.from(out);
}
