// mob only: why `buildah push` failed, in a few words naming the registry, read from its output
// (the final `Error: pushing image "…" to "docker://HOST/…": …` line, or its retry warnings). Pure.
// buildah never prints credentials: it reads them from the authfile.

export interface PushFailure {
  /** `host:port` the push went to, when the output names it. */
  registry?: string;
  /** A short cause: "connection refused", "HTTP 500 Internal Server Error from the registry"… */
  cause?: string;
}

const DESTINATION = /to "docker:\/\/([^/"\s]+)\//;
const PINGING = /pinging container registry ([^\s:"]+(?::\d+)?)/;
const HTTP_STATUS = /received unexpected HTTP status: (\d{3})( [A-Za-z ]+)?/;

/** Causes by the words of Go's net and HTTP errors, most specific first. */
const CAUSES: ReadonlyArray<readonly [RegExp, string]> = [
  [/no space left on device/i, "no space left on device"],
  [/connection refused/i, "connection refused"],
  [/no such host/i, "no such host"],
  [/connection reset by peer/i, "connection reset by the registry"],
  [/i\/o timeout|deadline exceeded|timeout awaiting/i, "timed out"],
  [/: EOF$|unexpected EOF/, "the registry closed the connection"],
];

function httpCause(text: string): string | undefined {
  const match = HTTP_STATUS.exec(text);
  if (match === null) return undefined;
  const status = `HTTP ${match[1] ?? ""}${(match[2] ?? "").trimEnd()}`;
  return (match[1] ?? "").startsWith("5")
    ? `${status} from the registry (a fault on the registry's side, such as full storage; see its log)`
    : `${status} from the registry`;
}

/** What the push step's output lines (oldest first) say about the failure. */
export function describePushFailure(lines: readonly string[]): PushFailure {
  const error = lines.findLast((line) => line.startsWith("Error:"));
  const text = error ?? lines.join("\n");
  const registry = DESTINATION.exec(text)?.[1] ?? PINGING.exec(lines.join("\n"))?.[1];
  const cause = CAUSES.find(([pattern]) => pattern.test(text))?.[1] ?? httpCause(text);
  return {
    ...(registry !== undefined ? { registry } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}

/** "pushing the image to HOST failed: CAUSE", leaving out what the output did not say. */
export function pushFailureSummary(failure: PushFailure): string {
  const to = failure.registry === undefined ? "" : ` to ${failure.registry}`;
  const why = failure.cause === undefined ? "" : `: ${failure.cause}`;
  return `pushing the image${to} failed${why}`;
}
