// The one Error the build-context code throws for bad input; the CLI prints its message alone.

export type PrepareContextErrorCode =
  | "InvalidMachineConfig"
  | "InvalidIgnition"
  | "UnsupportedAccounts"
  | "UnsafeEntry"
  | "InvalidContainerfile"
  | "ContainerfileMismatch"
  | "OutputNotEmpty";

export class PrepareContextError extends Error {
  readonly code: PrepareContextErrorCode;
  constructor(code: PrepareContextErrorCode, message: string) {
    super(message);
    this.name = "PrepareContextError";
    this.code = code;
  }
}
