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

/** "127.0.0.1:7778" -> host and port (the admin API's and the dashboard's addresses). */
export function parseHostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  const host = text.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(text.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StowageError('CONFIG_INVALID', `address '${text}' must be host:port`);
  }
  return { host, port };
}
