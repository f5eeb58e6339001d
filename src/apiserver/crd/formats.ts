// String formats Kubernetes checks for custom resources (kube-openapi's strfmt registry). Formats not
// listed here are accepted unchecked, as in Kubernetes; integer formats (int32, int64) are not
// string formats and are ignored too.

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HOSTNAME =
  /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const MAC = /^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
const DURATION = /^[-+]?(?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h|d|w))+$|^0$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function validDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (match === null) return false;
  const [, year = "", month = "", day = "", hour = "", minute = "", second = "0"] = match;
  return validDate(year, month, day) && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 61;
}

function isDate(value: string): boolean {
  const match = DATE.exec(value);
  return match !== null && validDate(match[1] ?? "", match[2] ?? "", match[3] ?? "");
}

function isIPv6(value: string): boolean {
  if (!value.includes(":")) return false;
  try {
    return new URL(`http://[${value}]/`).hostname !== "";
  } catch {
    return false;
  }
}

function isCIDR(value: string): boolean {
  const [ip = "", bits, ...rest] = value.split("/");
  if (bits === undefined || rest.length > 0 || !/^\d{1,3}$/.test(bits)) return false;
  if (IPV4.test(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

/** Go's url.ParseRequestURI accepts absolute URIs and absolute paths. */
function isURI(value: string): boolean {
  if (value.startsWith("/")) return !/\s/.test(value);
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const CHECKS: Readonly<Record<string, (value: string) => boolean>> = {
  "date-time": isDateTime,
  datetime: isDateTime,
  date: isDate,
  byte: (value) => BASE64.test(value),
  uuid: (value) => UUID.test(value),
  uuid3: (value) => UUID.test(value),
  uuid4: (value) => UUID.test(value),
  uuid5: (value) => UUID.test(value),
  ipv4: (value) => IPV4.test(value),
  ipv6: isIPv6,
  cidr: isCIDR,
  hostname: (value) => HOSTNAME.test(value),
  email: (value) => EMAIL.test(value),
  mac: (value) => MAC.test(value),
  duration: (value) => DURATION.test(value),
  uri: isURI,
};

/** Whether `value` is valid for `format`; unknown formats always are. */
export function matchesFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check === undefined || check(value);
}
