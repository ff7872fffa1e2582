/**
 * The base of our error classes: `name` is the class's own name, so logs, the hub's `code` and `instanceof`-free
 * readers all see "ConfigError" rather than "Error". (esbuild keeps class names: `keepNames` in esbuild.mjs.)
 */
export class NamedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** The user dismissed an input or a dialog: nothing to report. Commands recognise it by type, not by message. */
export class CancelledError extends NamedError {
  constructor() {
    super('cancelled');
  }
}
