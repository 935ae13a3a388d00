// A local chain for devnets and tests: anvil from the npm package @foundry-rs/anvil (its binary
// ships in a platform package; nothing is downloaded), started as a process on a free loopback
// port. Its accounts are the well-known development mnemonic's: test keys, never real money.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { mnemonicToAccount } from 'viem/accounts';
import { bytesToHex } from 'viem';
import { ChainError } from './errors.js';
import type { Address, Hex } from './merkle.js';

/** Anvil's (and Hardhat's) development mnemonic: its keys are public. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

export interface AnvilAccount {
  address: Address;
  privateKey: Hex;
}

export interface Anvil {
  rpcUrl: string;
  chainId: number;
  /** The anvil process's id. */
  pid: number;
  /** The funded development accounts (10 000 ETH each). */
  accounts: AnvilAccount[];
  /** SIGKILLs the process (a chain that goes away) and waits for its exit. */
  kill(): Promise<void>;
  /** Stops it (SIGTERM) and waits for its exit. */
  stop(): Promise<void>;
}

export interface AnvilOptions {
  /** Loopback port; a free one when absent. A restarted chain keeps its port. */
  port?: number;
  /** Funded accounts (10). */
  accounts?: number;
  /** Seconds between blocks; 0 or absent: a block per transaction. */
  blockTime?: number;
  /** Chain id (31337). */
  chainId?: number;
  /** Where to keep the chain's state across restarts (`--state`); none when absent. */
  stateFile?: string;
  /** Milliseconds to wait for it to listen (15 s). */
  startTimeoutMs?: number;
}

/** The anvil binary of this platform, from the @foundry-rs/anvil-<platform> package. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const platform = process.platform === 'win32' ? 'win32' : process.platform;
  const pkg = `@foundry-rs/anvil-${platform}-${arch}`;
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch (err) {
    throw new ChainError('CHAIN_ANVIL_FAILED', `anvil is not installed for ${process.platform}/${process.arch} (${pkg}): run npm ci`, { cause: err });
  }
  const bin = join(dir, 'bin', platform === 'win32' ? 'anvil.exe' : 'anvil');
  if (!existsSync(bin)) throw new ChainError('CHAIN_ANVIL_FAILED', `anvil binary missing at ${bin}: run npm ci`);
  return bin;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Development account `i` of the anvil mnemonic. */
export function anvilAccount(i: number): AnvilAccount {
  const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i });
  return { address: account.address, privateKey: bytesToHex(account.getHdKey().privateKey!) };
}

/** Starts anvil on loopback and resolves once it answers JSON-RPC. */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const accounts = options.accounts ?? 10;
  const chainId = options.chainId ?? 31337;
  const port = options.port ?? (await freePort());
  const args = ['--host', '127.0.0.1', '--port', String(port), '--accounts', String(accounts), '--chain-id', String(chainId), '--mnemonic', ANVIL_MNEMONIC, '--silent'];
  if (options.blockTime !== undefined && options.blockTime > 0) args.push('--block-time', String(options.blockTime));
  if (options.stateFile !== undefined) args.push('--state', options.stateFile);
  const child: ChildProcess = spawn(anvilBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new ChainError('CHAIN_ANVIL_FAILED', `anvil exited (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
    try {
      const res = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }), signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new ChainError('CHAIN_ANVIL_FAILED', `anvil did not answer on ${rpcUrl}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    rpcUrl,
    chainId,
    pid: child.pid!,
    accounts: Array.from({ length: accounts }, (_, i) => anvilAccount(i)),
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM')
  };
}
