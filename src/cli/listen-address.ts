import { CliError } from "./cli-error.ts";

/** `127.0.0.1:6443` → host and port; port 0 picks a free one. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  const host = colon > 0 ? value.slice(0, colon).replace(/^\[|\]$/g, "") : "";
  const port = Number(value.slice(colon + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--listen wants HOST:PORT (e.g. 127.0.0.1:6443), got "${value}"`);
  }
  return { host, port };
}
