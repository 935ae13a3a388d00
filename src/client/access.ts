// An access: one string that carries the satellite's peer id and address, an API key and the
// user's encryption secret (which never leaves the client). Format: "stowage1:" + base64url(JSON).
import { randomBytes } from 'node:crypto';
import { ClientError, ClientErrorCode } from './errors.js';

export interface Access {
  satelliteId: string;
  satelliteAddress: string;
  apiKey: string;
  /** 32 bytes. */
  secret: Uint8Array;
}

const PREFIX = 'stowage1:';

export function serializeAccess(a: Access): string {
  const json = JSON.stringify({ s: `${a.satelliteId}@${a.satelliteAddress}`, k: a.apiKey, e: Buffer.from(a.secret).toString('base64url') });
  return PREFIX + Buffer.from(json).toString('base64url');
}

export function parseAccess(text: string): Access {
  const bad = (why: string): ClientError => new ClientError(ClientErrorCode.AccessInvalid, `the access is invalid: ${why}`);
  if (typeof text !== 'string' || !text.startsWith(PREFIX)) throw bad(`it does not start with ${PREFIX}`);
  let raw: { s?: unknown; k?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8')) as typeof raw;
  } catch {
    throw bad('it does not decode');
  }
  if (typeof raw.s !== 'string' || typeof raw.k !== 'string' || typeof raw.e !== 'string') throw bad('a field is missing');
  const at = raw.s.indexOf('@');
  if (at <= 0) throw bad('the satellite is not <peerId>@<multiaddr>');
  const secret = new Uint8Array(Buffer.from(raw.e, 'base64url'));
  if (secret.length !== 32) throw bad('the secret is not 32 bytes');
  return { satelliteId: raw.s.slice(0, at), satelliteAddress: raw.s.slice(at + 1), apiKey: raw.k, secret };
}

/** A new access with a fresh random secret. */
export function createAccess(satellite: string, apiKey: string): string {
  const at = satellite.indexOf('@');
  if (at <= 0) throw new ClientError(ClientErrorCode.AccessInvalid, `satellite '${satellite}' must be <peerId>@<multiaddr>`);
  return serializeAccess({ satelliteId: satellite.slice(0, at), satelliteAddress: satellite.slice(at + 1), apiKey, secret: new Uint8Array(randomBytes(32)) });
}
