// The daemon's writes to its own Node: state/reason, current config and image, the drain request,
// post-config-action. Merge patches (null removes an annotation), so no read-modify-write races with
// the node controller setting desiredConfig/desiredImage. Reads come from the daemon's informer.

import { NodeAnnotations, type NodeState } from "../api/constants.ts";
import type { KubeObject } from "../api/object.ts";
import type { ResourceClient } from "../runtime/resource-client.ts";

export type AnnotationChange = Record<string, string | null>;

/** Upstream caps the reason it writes; long backend output stays in the logs. */
const MAX_REASON = 1024;

export interface NodeSource {
  /** The latest Node the daemon has seen (informer cache), or undefined before the first sync. */
  latest(): KubeObject | undefined;
}

export class NodeStatus {
  readonly #nodes: ResourceClient<KubeObject>;
  readonly #name: string;
  readonly #source: NodeSource;

  constructor(nodes: ResourceClient<KubeObject>, name: string, source: NodeSource) {
    this.#nodes = nodes;
    this.#name = name;
    this.#source = source;
  }

  get name(): string {
    return this.#name;
  }

  /** A fresh read from the API server. */
  get(signal: AbortSignal): Promise<KubeObject> {
    return this.#nodes.get(this.#name, { signal });
  }

  latest(): KubeObject | undefined {
    return this.#source.latest();
  }

  /** Patches only the annotations that differ from `node`; returns the node as it is after. */
  async annotate(node: KubeObject, change: AnnotationChange, signal: AbortSignal): Promise<KubeObject> {
    const current = node.metadata.annotations ?? {};
    const needed = Object.entries(change).filter(([key, value]) =>
      value === null ? key in current : current[key] !== value,
    );
    if (needed.length === 0) return node;
    const patch = { metadata: { annotations: Object.fromEntries(needed) } };
    return this.#nodes.patch(this.#name, patch, { type: "merge", signal });
  }

  setState(node: KubeObject, state: NodeState, reason: string, signal: AbortSignal): Promise<KubeObject> {
    return this.annotate(
      node,
      {
        [NodeAnnotations.state]: state,
        // Upstream clears the reason to "" rather than removing it.
        [NodeAnnotations.reason]: truncate(reason),
      },
      signal,
    );
  }
}

export function annotation(node: KubeObject | undefined, key: string): string | undefined {
  return node?.metadata.annotations?.[key];
}

function truncate(text: string): string {
  return text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 1)}…`;
}
