// mob only: why a build failed, in words a user can act on. The failing container says which part of
// the pod failed; the build script's step markers, buildah's `STEP n/m: …` lines and its error text
// narrow it down to prepare / base image pull / one Containerfile instruction / push /
// authentication; a push failure names the registry and the cause (push-failure.ts). The message
// carries the last lines of output. Pure.

import { BuildConditionTexts, BuildContainers } from "../../api/constants.ts";
import { FAILURE_LOG_LINES, type FailureStep } from "./constants.ts";
import { IMAGE_PUSH_CONTAINER, REPORT_DIGEST_CONTAINER, STEP_MARKER } from "./job.ts";
import { describePushFailure, pushFailureSummary } from "./push-failure.ts";

export interface FailedContainer {
  name: string;
  exitCode?: number;
  /** The container's output (pods/log), or its termination message when the log is gone. */
  output: string;
}

export interface FailureDetail {
  step: FailureStep;
  /** One sentence naming the step. */
  summary: string;
  /** Up to FAILURE_LOG_LINES lines, oldest first, timestamps stripped, each at most 300 characters. */
  lastLines: string[];
}

const AUTH =
  /unauthori[sz]ed|authentication required|401|invalid username\/password|access to the requested resource is not authorized|denied: requested access/i;
const PULL =
  /initializing source|pulling image|manifest unknown|reading manifest|creating build container|error pulling|name unknown|trying to pull/i;
/** `STEP 2/4: RUN …`, prefixed `[2/3] ` in multi-stage builds. */
const STEP_LINE = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (.*)$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z /;

function lines(output: string): string[] {
  return output
    .split("\n")
    .map((line) => line.replace(TIMESTAMP, "").trimEnd())
    .filter((line) => line !== "");
}

function lastMatch(all: readonly string[], pattern: RegExp): RegExpExecArray | undefined {
  for (let i = all.length - 1; i >= 0; i--) {
    const match = pattern.exec(all[i] ?? "");
    if (match !== null) return match;
  }
  return undefined;
}

function classifyBuild(all: readonly string[]): Pick<FailureDetail, "step" | "summary"> {
  const marker = lastMatch(all, new RegExp(`^${escapeRegExp(STEP_MARKER)} (\\S+)`));
  if (marker?.[1] === "prepare") {
    return { step: "prepare", summary: "preparing the build context (mob build prepare-context) failed" };
  }
  const stepAt = all.findLastIndex((line) => STEP_LINE.test(line));
  const step = stepAt < 0 ? undefined : STEP_LINE.exec(all[stepAt] ?? "")?.[1];
  // Only what buildah said after the last instruction started explains the failure.
  const text = all.slice(Math.max(stepAt, 0)).join("\n");
  const isFrom = step === undefined || /^FROM\s/i.test(step);
  if (AUTH.test(text) && isFrom) {
    return { step: "authentication", summary: "registry authentication failed while pulling the base image" };
  }
  if (isFrom && PULL.test(text)) return { step: "base-image-pull", summary: "pulling the base image failed" };
  if (step !== undefined) {
    return { step: "containerfile", summary: `the Containerfile instruction "${step}" failed` };
  }
  return { step: "unknown", summary: "buildah bud failed before running any instruction" };
}

function classifyPush(all: readonly string[]): Pick<FailureDetail, "step" | "summary"> {
  const failure = describePushFailure(all);
  if (AUTH.test(all.join("\n"))) {
    const to = failure.registry === undefined ? "" : ` to ${failure.registry}`;
    return { step: "authentication", summary: `registry authentication failed while pushing the image${to}` };
  }
  return { step: "push", summary: pushFailureSummary(failure) };
}

function classify(
  container: FailedContainer,
  all: readonly string[],
): Pick<FailureDetail, "step" | "summary"> {
  switch (container.name) {
    case BuildContainers.imageBuild:
      return classifyBuild(all);
    case IMAGE_PUSH_CONTAINER:
      return classifyPush(all);
    case REPORT_DIGEST_CONTAINER:
      return { step: "digest", summary: "the push reported no image digest" };
    default:
      return { step: "unknown", summary: `container ${container.name} failed` };
  }
}

export function describeFailure(container: FailedContainer): FailureDetail {
  const all = lines(container.output);
  const lastLines = all
    .slice(-FAILURE_LOG_LINES)
    .map((line) => (line.length > 300 ? `${line.slice(0, 297)}...` : line));
  return { ...classify(container, all), lastLines };
}

/** The Failed condition's message: upstream's text, the step, the container and the last lines. */
export function failedMessage(detail: FailureDetail, container?: FailedContainer): string {
  const where =
    container === undefined
      ? ""
      : ` (container ${container.name}${container.exitCode === undefined ? "" : `, exit code ${container.exitCode}`})`;
  const head = `${BuildConditionTexts.Failed.message}: step ${detail.step}: ${detail.summary}${where}`;
  if (detail.lastLines.length === 0) return head;
  return `${head}\nLast ${detail.lastLines.length} lines of output:\n${detail.lastLines.join("\n")}`;
}

/** A failure found before any Job ran (bad secret, invalid Containerfile). */
export function preflightFailedMessage(step: FailureStep, summary: string): string {
  return `${BuildConditionTexts.Failed.message}: step ${step}: ${summary}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
