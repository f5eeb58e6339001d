// Kubernetes' CEL IP, CIDR and URL libraries (k8s.io/apiserver/pkg/cel/library/{ip,cidr,urls}.go),
// the commonly used subset: IP and CIDR without isCanonical and the multicast/unicast predicates,
// URL without getQuery; URLs are parsed by WHATWG rules, which drop default ports.

import { type Environment, EvaluationError } from "@marcbachmann/cel-js";
import { matchesFormat } from "../crd/formats.ts";
import { CIDRPrefix, IPAddress, maskedText, parseCIDR, parseIP } from "./ip-address.ts";

class ParsedURL {
  readonly url: URL;

  constructor(url: URL) {
    this.url = url;
  }
}

function ip(text: string): IPAddress {
  const parsed = parseIP(text);
  if (parsed === undefined) {
    throw new EvaluationError(`IP Address '${text}' parse error during conversion from string`);
  }
  return parsed;
}

function cidr(text: string): CIDRPrefix {
  const parsed = parseCIDR(text);
  if (parsed === undefined) {
    throw new EvaluationError(`network address '${text}' parse error during conversion from string`);
  }
  return parsed;
}

/** Go's url.ParseRequestURI accepts absolute URLs and absolute paths; paths get a dummy base. */
function url(text: string): ParsedURL {
  if (!matchesFormat("uri", text)) throw new EvaluationError(`URL parse error during conversion from string`);
  return new ParsedURL(text.startsWith("/") ? new URL(text, "relative:/") : new URL(text));
}

function isURL(text: string): boolean {
  try {
    url(text);
    return true;
  } catch {
    return false;
  }
}

function registerIP(env: Environment): void {
  env.registerType("net.IP", IPAddress);
  env.registerFunction("isIP(string): bool", (text: string) => parseIP(text) !== undefined);
  env.registerFunction("ip(string): net.IP", ip);
  env.registerFunction("net.IP.family(): int", (address: IPAddress) => BigInt(address.family));
  env.registerFunction("net.IP.isUnspecified(): bool", (address: IPAddress) => address.bits === 0n);
  env.registerFunction("net.IP.isLoopback(): bool", (address: IPAddress) =>
    address.family === 4 ? address.bits >> 24n === 127n : address.bits === 1n,
  );
  env.registerFunction("string(net.IP): string", (address: IPAddress) => address.text);
  env.registerOperator("net.IP == net.IP", sameIP);
}

function sameIP(a: IPAddress, b: IPAddress): boolean {
  return a.family === b.family && a.bits === b.bits;
}

function registerCIDR(env: Environment): void {
  env.registerType("net.CIDR", CIDRPrefix);
  env.registerFunction("isCIDR(string): bool", (text: string) => parseCIDR(text) !== undefined);
  env.registerFunction("cidr(string): net.CIDR", cidr);
  env.registerFunction("net.CIDR.ip(): net.IP", (prefix: CIDRPrefix) => prefix.ip);
  env.registerFunction("net.CIDR.prefixLength(): int", (prefix: CIDRPrefix) => BigInt(prefix.prefixLength));
  env.registerFunction("net.CIDR.masked(): net.CIDR", (prefix: CIDRPrefix) => cidr(maskedText(prefix)));
  env.registerFunction("net.CIDR.containsIP(net.IP): bool", (prefix: CIDRPrefix, address: IPAddress) =>
    prefix.contains(address),
  );
  env.registerFunction("net.CIDR.containsIP(string): bool", (prefix: CIDRPrefix, text: string) =>
    prefix.contains(ip(text)),
  );
  env.registerFunction("net.CIDR.containsCIDR(net.CIDR): bool", (prefix: CIDRPrefix, other: CIDRPrefix) =>
    containsCIDR(prefix, other),
  );
  env.registerFunction("net.CIDR.containsCIDR(string): bool", (prefix: CIDRPrefix, text: string) =>
    containsCIDR(prefix, cidr(text)),
  );
  env.registerOperator(
    "net.CIDR == net.CIDR",
    (a: CIDRPrefix, b: CIDRPrefix) => a.prefixLength === b.prefixLength && sameIP(a.ip, b.ip),
  );
}

function containsCIDR(prefix: CIDRPrefix, other: CIDRPrefix): boolean {
  return other.prefixLength >= prefix.prefixLength && prefix.contains(other.ip);
}

function registerURL(env: Environment): void {
  env.registerType("net.URL", ParsedURL);
  env.registerFunction("isURL(string): bool", isURL);
  env.registerFunction("url(string): net.URL", url);
  const part = (name: string, read: (url: URL) => string): void => {
    env.registerFunction(`net.URL.${name}(): string`, (parsed: ParsedURL) => read(parsed.url));
  };
  part("getScheme", (u) => (u.protocol === "relative:" ? "" : u.protocol.slice(0, -1)));
  part("getHost", (u) => u.host);
  part("getHostname", (u) => u.hostname.replace(/^\[(.*)\]$/, "$1"));
  part("getPort", (u) => u.port);
  part("getEscapedPath", (u) => u.pathname);
}

export function registerNetLibrary(env: Environment): void {
  registerIP(env);
  registerCIDR(env);
  registerURL(env);
}
