/** An error the CLI reports as its message alone (no stack): bad flags, a port in use. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}
