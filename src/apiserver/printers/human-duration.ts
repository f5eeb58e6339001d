// Kubernetes' duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration) and the printers'
// translateTimestampSince, so ages read exactly as kubectl shows them against a real server.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** `ms` rendered as Kubernetes renders a duration: `45s`, `5m3s`, `2h`, `3d4h`, `2y10d`, ... */
export function humanDuration(ms: number): string {
  // Truncation toward zero, like Go's int(d.Seconds()); up to 1s in the future still reads "0s"
  // to tolerate clock skew between machines.
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;

  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/**
 * The time since an RFC 3339 timestamp as HumanDuration; `<unknown>` when the timestamp is
 * missing or empty (Kubernetes' zero time), `<invalid>` when it does not parse.
 */
export function age(timestamp: string | undefined, now: Date): string {
  if (timestamp === undefined || timestamp === "") return "<unknown>";
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return "<invalid>";
  return humanDuration(now.getTime() - at);
}
