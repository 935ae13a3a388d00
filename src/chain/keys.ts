// Private keys of chain accounts (the satellite's payer, a node's own claim key) live in files the
// operator alone can read: 0x and 64 hex digits, mode 0600.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ChainError } from './errors.js';
import type { Address, Hex } from './merkle.js';

/** Reads a key file; refuses one that others can read or that holds anything but a key. */
export function readPrivateKeyFile(path: string): { privateKey: Hex; address: Address } {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new ChainError('CHAIN_CONFIG_INVALID', `cannot read the key file ${path}: ${(err as Error).message}`, { cause: err });
  }
  if ((mode & 0o077) !== 0) throw new ChainError('CHAIN_CONFIG_INVALID', `the key file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new ChainError('CHAIN_CONFIG_INVALID', `the key file ${path} does not hold a private key (0x and 64 hex digits)`);
  const privateKey = text as Hex;
  return { privateKey, address: privateKeyToAccount(privateKey).address };
}

/** Writes `privateKey` (a new one when absent) to `path`, mode 0600; returns its address. */
export function writePrivateKeyFile(path: string, privateKey: Hex = generatePrivateKey()): { privateKey: Hex; address: Address } {
  writeFileSync(path, `${privateKey}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { privateKey, address: privateKeyToAccount(privateKey).address };
}
