// A watch as an HTTP stream: headers flushed at once, one JSON event per line, bookmarks,
// timeoutSeconds, a 410 ERROR event for a version older than the history, cleanup on disconnect.

import { randomInt } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { KubeObject } from "../../api/object.ts";
import { ApiError } from "../errors.ts";
import type { TableConvertor } from "../registry/resource.ts";
import type { Scope, Store } from "../registry/store.ts";
import {
  bookmark,
  validateWatchQuery,
  type WatchEvent,
  type WatchQuery,
  watchObjects,
} from "../registry/store-watch.ts";
import { toApiError } from "./respond.ts";
import { type IncludeObject, tableContentType, toTable } from "./table.ts";

export interface WatchStreamOptions {
  query: WatchQuery;
  timeoutSeconds: number | undefined;
  allowBookmarks: boolean;
  bookmarkIntervalMs: number;
  table: { convertor: TableConvertor; version: "v1" | "v1beta1"; include: IncludeObject } | undefined;
}

/** A client that reads slower than this much buffered output is disconnected; it will relist. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

// Many watchers usually see the same event object: serialise it once per event.
const serialised = new WeakMap<KubeObject, Map<string, string>>();

function plainLine(event: WatchEvent): string {
  let byType = serialised.get(event.object);
  if (!byType) {
    byType = new Map();
    serialised.set(event.object, byType);
  }
  let line = byType.get(event.type);
  if (line === undefined) {
    line = `${JSON.stringify({ type: event.type, object: event.object })}\n`;
    byType.set(event.type, line);
  }
  return line;
}

export function serveWatch(
  store: Store,
  scope: Scope,
  res: ServerResponse,
  options: WatchStreamOptions,
): void {
  validateWatchQuery(scope, options.query);
  const contentType = options.table ? tableContentType(options.table.version) : "application/json";
  let columnsSent = false;
  const lineFor = (event: WatchEvent): string => {
    const table = options.table;
    if (!table || event.type === "BOOKMARK") return plainLine(event);
    const object = toTable(table.convertor, [event.object], {
      tableVersion: table.version,
      include: table.include,
      withColumns: !columnsSent,
      now: store.now(),
      listMetadata: { resourceVersion: event.object.metadata.resourceVersion ?? "" },
    });
    columnsSent = true;
    return `${JSON.stringify({ type: event.type, object })}\n`;
  };

  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let handle: { stop(): void } | undefined;
  const close = (): void => {
    if (closed) return;
    closed = true;
    handle?.stop();
    for (const timer of timers) clearTimeout(timer);
    res.end();
  };
  res.on("close", close);

  const send = (line: string): void => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };

  res.writeHead(200, {
    "Content-Type": contentType,
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
  });
  res.flushHeaders();

  try {
    handle = watchObjects(store, scope, options.query, (event) => send(lineFor(event)));
  } catch (error) {
    const status = toApiError(error);
    if (!(error instanceof ApiError)) throw error;
    send(`${JSON.stringify({ type: "ERROR", object: status.toStatus() })}\n`);
    close();
    return;
  }
  if (closed) {
    handle.stop();
    return;
  }

  const timeoutMs = (options.timeoutSeconds ?? 1800 + randomInt(1800)) * 1000;
  timers.push(setTimeout(close, timeoutMs));
  if (options.allowBookmarks) {
    // Events are delivered synchronously as they commit, so the watcher has seen everything up to
    // the store's current version whenever the timer fires.
    const tick = (): void => send(lineFor(bookmark(scope, store.storage.currentResourceVersion())));
    timers.push(setInterval(tick, options.bookmarkIntervalMs));
  }
}
