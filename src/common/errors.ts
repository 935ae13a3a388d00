/**
 * Base class of every error Stowage raises on purpose. `code` is stable across releases: programs
 * and tests match on it, people read `message`.
 */
export class StowageError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** True when `err` is a StowageError, optionally with the given code. */
export function isStowageError(err: unknown, code?: string): err is StowageError {
  return err instanceof StowageError && (code === undefined || err.code === code);
}
