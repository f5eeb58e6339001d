// `make bench`: runs every benchmark and prints its figures. Nothing here asserts; the figures are
// the result.

import { benchApiServer } from "./apiserver-bench.ts";
import { benchBuild } from "./build-bench.ts";
import { benchLoad } from "./load-bench.ts";
import { benchRender } from "./render-bench.ts";
import { printFigures } from "./report.ts";
import { benchRollout } from "./rollout-bench.ts";

const benches: [string, () => Promise<import("./report.ts").Figure[]>][] = [
  ["API server", benchApiServer],
  ["Render controller", benchRender],
  ["Rollout", benchRollout],
  ["Build controller", benchBuild],
  ["Load", benchLoad],
];

// `make bench ONLY=render` (or `node bench/run.ts render`) runs the benchmarks whose title matches.
const only = (process.argv[2] ?? process.env.ONLY ?? "").toLowerCase();

for (const [title, bench] of benches.filter(([title]) => title.toLowerCase().includes(only))) {
  const started = performance.now();
  const figures = await bench();
  printFigures(`${title} (${((performance.now() - started) / 1000).toFixed(0)} s)`, figures);
}
