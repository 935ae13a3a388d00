// A satellite process SIGKILLed in the middle of pushing a period's claims (issue 21), on a real
// chain mining a block a second: restarted on the same data directory, it resumes from its kept
// publication and the chain's state, and every wallet is paid exactly once: one Claimed event
// each, its balance its leaf, nothing left in the distributor. Real processes, real signals.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayoutChain, deployPayoutContracts, startAnvil, writePrivateKeyFile, type Address, type Anvil } from '../../src/chain/index.js';
import { Stowage, createAccess } from '../../src/client/index.js';
import { NODE_DEFAULTS, StorageNode } from '../../src/node/index.js';
import { killChildrenAfterAll, tracked } from '../node/fixtures/children.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');
const run = promisify(execFile);
killChildrenAfterAll();

let anvil: Anvil;
const nodes: StorageNode[] = [];
beforeAll(async () => {
  // A block a second: a push of one claim a transaction takes about a second per wallet.
  anvil = await startAnvil({ blockTime: 1 });
}, 30_000);
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await anvil?.stop();
  removeTempDirs();
});

interface SatelliteProcess {
  child: ChildProcess;
  started: Promise<Record<string, unknown>>;
  exit: Promise<void>;
}

/** `stowage satellite run` as a process; `started` is its 'satellite started' log line. */
function startSatellite(args: string[]): SatelliteProcess {
  const child = tracked(spawn(process.execPath, [cli, 'satellite', 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === 'satellite started') resolve(parsed);
      }
      out = out.slice(out.lastIndexOf('\n') + 1);
    });
    void exit.then(() => reject(new Error(`the satellite exited before it started: ${err}`)));
  });
  return { child, started, exit };
}

describe('a satellite killed mid-push', () => {
  it('resumes after a SIGKILL between two claim transactions and pays every wallet exactly once', async () => {
    const payerKeyFile = join(tempDir(), 'payer.key');
    const payer = writePrivateKeyFile(payerKeyFile, anvil.accounts[0]!.privateKey);
    const { token, distributor } = await deployPayoutContracts(anvil.rpcUrl, payer.privateKey, { mint: [{ to: payer.address, amount: 10n ** 24n }] });
    const reader = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor });
    const satDir = tempDir();
    const configFile = join(tempDir(), 'satellite.json');
    // Storage paid at a rate that makes a second of 1 MiB worth tokens; one claim per transaction,
    // the publisher retried every second (so the restarted satellite resumes by itself).
    writeFileSync(
      configFile,
      JSON.stringify({
        distinctSubnets: false,
        payout: { periodMs: 0, storageRate: '1000000000000000', auditRate: '0', egressRate: '0', repairEgressRate: '0', minimumPayout: '0', heldBack: false },
        chain: { rpcUrl: anvil.rpcUrl, token, distributor, payerKeyFile, claimBatchSize: 1, retryMs: 1000 }
      })
    );
    const args = ['--data-dir', satDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--admin', '127.0.0.1:0', '--profile', '2/3/6/6', '--config', configFile];
    let sat = startSatellite(args);
    let started = await sat.started;
    const satId = started.satelliteId as string;
    const satAddr = (started.addresses as string[])[0]!.replace(/\/p2p\/.*$/, '');
    const token0 = readFileSync(join(satDir, 'admin.token'), 'utf8').trim();
    const admin = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${started.admin as string}${path}`, { ...init, headers: { authorization: `Bearer ${token0}`, 'content-type': 'application/json' } });

    // Six real nodes (in this process), each with a wallet of its own; all six hold a piece (success = total = 6).
    const wallets: Address[] = Array.from({ length: 6 }, () => privateKeyToAccount(generatePrivateKey()).address);
    for (const wallet of wallets) {
      nodes.push(
        await StorageNode.start({ ...NODE_DEFAULTS, dataDir: tempDir(), listen: ['/ip4/127.0.0.1/tcp/0'], satellites: [{ peerId: satId, address: satAddr }], wallet, dashboard: '', capacity: 1e9, checkInIntervalMs: 0, historyIntervalMs: 0, settleIntervalMs: 0 })
      );
    }
    await expect.poll(async () => ((await (await admin('/api/nodes')).json()) as { reachable: boolean }[]).filter((n) => n.reachable).length, { timeout: 30_000 }).toBe(6);
    const { stdout: apiKey } = await run(process.execPath, [cli, 'satellite', 'api-key', 'create', '--admin', (started.admin as string).replace('http://', ''), '--data-dir', satDir]);
    const client = await Stowage.connect(createAccess(`${satId}@${satAddr}`, apiKey.trim()), { pieceTimeoutMs: 10_000 });
    await client.createBucket('paid');
    await client.upload('paid', 'a', new Uint8Array(1024 * 1024).fill(3));
    await client.close();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await admin('/api/payouts/close', { method: 'POST', body: '{}' })).status).toBe(201);

    // The publisher publishes period 1, then pushes one wallet a block: killed as soon as the
    // first wallet is paid, with others still unpaid.
    const paid = async (): Promise<bigint[]> => Promise.all(wallets.map((w) => reader.claimed(w)));
    await expect.poll(async () => (await paid()).some((p) => p > 0n), { timeout: 60_000, interval: 100 }).toBe(true);
    sat.child.kill('SIGKILL');
    await sat.exit;
    const atKill = await paid();
    console.log(`killed with ${atKill.filter((p) => p > 0n).length} of 6 wallets paid`);
    expect(atKill.filter((p) => p === 0n).length).toBeGreaterThan(0);
    expect(await reader.root(1)).toBeDefined();

    // Restarted on the same data directory: it resumes the push by itself.
    sat = startSatellite(args);
    started = await sat.started;
    const chain = async (): Promise<{ publications: { period: number; state: string; wallets: Record<string, string>; total: string }[]; backlog: number[] }> => (await (await admin('/api/payouts/chain')).json()) as never;
    await expect.poll(async () => (await chain()).publications.map((p) => [p.period, p.state]), { timeout: 60_000, interval: 250 }).toEqual([[1, 'pushed']]);
    const [pub] = (await chain()).publications;
    // Every node's wallet, with what the kept publication owes it, and paid exactly that, once.
    expect(Object.keys(pub!.wallets).sort()).toEqual(wallets.map((w) => w.toLowerCase()).sort());
    for (const w of wallets) {
      const owed = BigInt(pub!.wallets[w.toLowerCase()]!);
      expect(owed).toBeGreaterThan(0n);
      const events = await reader.claimEvents(w);
      expect([w, events.length, events[0]?.amount, await reader.balanceOf(w), await reader.claimed(w)]).toEqual([w, 1, owed, owed, owed]);
    }
    expect(await reader.state()).toEqual({ lastPeriod: 1, funded: BigInt(pub!.total) });
    expect(await reader.balanceOf(distributor)).toBe(0n);
    expect((await chain()).backlog).toEqual([]);
    sat.child.kill('SIGTERM');
    await sat.exit;
  }, 180_000);
});
