// Loggers: JSON lines through pino; components get child loggers with `component` set.

import { type DestinationStream, type Logger, pino } from "pino";

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const config = {
    level: options.level ?? "info",
    base: null,
    // Values of these keys never reach a log line, whatever component logs them.
    redact: {
      paths: ["token", "password", "auth", "*.token", "*.password", "*.auth", "headers.authorization"],
      censor: "[redacted]",
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** A logger that discards everything (tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
