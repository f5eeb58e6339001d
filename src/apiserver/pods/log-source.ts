// Where container logs live. The API server only reads them; the host kubelet writes them, one
// line per log line: `<RFC 3339 timestamp with fraction> <text>`.

import { join } from "node:path";
import type { KubeObject } from "../../api/object.ts";

export interface PodLogSource {
  /** The file of the container's current run, or (`previous`) of its last terminated run. */
  path(pod: KubeObject, container: string, previous?: boolean): string;
}

/** `<rootDir>/<namespace>_<podName>_<uid>/<container>.log` (and `<container>.previous.log`). */
export class FileLogSource implements PodLogSource {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = rootDir;
  }

  path(pod: KubeObject, container: string, previous = false): string {
    const { namespace = "", name = "", uid = "" } = pod.metadata;
    return join(
      this.rootDir,
      `${namespace}_${name}_${uid}`,
      `${container}${previous ? ".previous" : ""}.log`,
    );
  }
}

/** One line of a log file as the kubelet writes it (`text` without its newline). */
export function formatLogLine(time: Date, text: string): string {
  return `${time.toISOString()} ${text}\n`;
}
