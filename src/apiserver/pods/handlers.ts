// The pod subresources served beside the generic verbs, keyed as the HTTP layer looks them up.

import type { SubresourceHandler } from "../http/handlers.ts";
import { bindingHandler } from "./binding.ts";
import { evictionHandler } from "./eviction.ts";
import { type PodLogHandlerOptions, podLogHandler } from "./log.ts";
import type { PodLogSource } from "./log-source.ts";

export function podSubresourceHandlers(
  logs: PodLogSource,
  options: PodLogHandlerOptions = {},
): Map<string, SubresourceHandler> {
  return new Map([
    ["pods/log", podLogHandler(logs, options)],
    ["pods/eviction", evictionHandler],
    ["pods/binding", bindingHandler],
  ]);
}
