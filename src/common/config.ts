// Pieces every program's configuration loader shares: the error, the JSON config file, and the
// comma-separated lists environment variables carry.
import { readFileSync } from 'node:fs';
import { StowageError } from './errors.js';

export class ConfigError extends StowageError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/** The JSON object in `path`, or {} when no path is given. */
export function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
}

/** "a, b,c" -> ['a', 'b', 'c']; undefined stays undefined. */
export function splitList(v: string | undefined): string[] | undefined {
  return v?.split(',').map((s) => s.trim()).filter(Boolean);
}
