// IP addresses and prefixes as Go's net/netip parses them for Kubernetes' CEL IP library: no zones,
// no IPv4-mapped IPv6 addresses, no leading zeros in IPv4 octets.

import { isIPv4, isIPv6 } from "node:net";

export class IPAddress {
  readonly family: 4 | 6;
  /** The address as an unsigned integer of 32 or 128 bits. */
  readonly bits: bigint;
  readonly text: string;

  constructor(family: 4 | 6, bits: bigint, text: string) {
    this.family = family;
    this.bits = bits;
    this.text = text;
  }

  get width(): bigint {
    return this.family === 4 ? 32n : 128n;
  }
}

export class CIDRPrefix {
  readonly ip: IPAddress;
  readonly prefixLength: number;

  constructor(ip: IPAddress, prefixLength: number) {
    this.ip = ip;
    this.prefixLength = prefixLength;
  }

  contains(ip: IPAddress): boolean {
    if (ip.family !== this.ip.family) return false;
    const shift = ip.width - BigInt(this.prefixLength);
    return ip.bits >> shift === this.ip.bits >> shift;
  }
}

const IPV4_OCTET = /^(0|[1-9]\d{0,2})$/;

function ipv4Bits(text: string): bigint | undefined {
  const octets = text.split(".");
  if (octets.length !== 4 || !octets.every((octet) => IPV4_OCTET.test(octet) && Number(octet) <= 255)) {
    return undefined;
  }
  return octets.reduce((bits, octet) => (bits << 8n) | BigInt(octet), 0n);
}

function ipv6Bits(text: string): bigint | undefined {
  if (!isIPv6(text) || text.includes("%") || text.includes(".")) return undefined;
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill("0"), ...right];
  if (groups.length !== 8) return undefined;
  return groups.reduce((bits, group) => (bits << 16n) | BigInt(`0x${group}`), 0n);
}

/** netip.ParseAddr with Kubernetes' restrictions; undefined when invalid. */
export function parseIP(text: string): IPAddress | undefined {
  if (isIPv4(text)) {
    const bits = ipv4Bits(text);
    return bits === undefined ? undefined : new IPAddress(4, bits, text);
  }
  const bits = ipv6Bits(text);
  return bits === undefined ? undefined : new IPAddress(6, bits, text);
}

/** netip.ParsePrefix with Kubernetes' restrictions; undefined when invalid. */
export function parseCIDR(text: string): CIDRPrefix | undefined {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const length = text.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9]\d{0,2})$/.test(length)) return undefined;
  const prefixLength = Number(length);
  return prefixLength > Number(ip.width) ? undefined : new CIDRPrefix(ip, prefixLength);
}

/** The network address of a prefix (host bits cleared), as text. */
export function maskedText(prefix: CIDRPrefix): string {
  const shift = prefix.ip.width - BigInt(prefix.prefixLength);
  const bits = (prefix.ip.bits >> shift) << shift;
  return `${formatIP(prefix.ip.family, bits)}/${prefix.prefixLength}`;
}

export function formatIP(family: 4 | 6, bits: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, index) =>
    ((bits >> BigInt((7 - index) * 16)) & 0xffffn).toString(16),
  );
  // Node's URL parser prints IPv6 canonically (RFC 5952), as netip does.
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}
