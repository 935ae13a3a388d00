// `stowage devnet up`: a local chain (anvil from npm, the payout contracts deployed on it at the
// first start, its state kept in DIR/chain/ across restarts), a satellite paying through it and
// N storage nodes (each with a generated wallet, its key in DIR/node-N/wallet.key) as separate
// processes on loopback, data
// under one directory (./.stowage-devnet), DIR/devnet.json with the access and every process,
// logs in DIR/logs/, a `demo` bucket. Ctrl-C stops everything cleanly; starting again reuses the
// data, the API key and the encryption secret. DIR and every data directory are 0700 and
// devnet.json (it holds the API key and the secret) 0600; the API key is made through the admin
// API with the satellite's admin token (DIR/satellite/admin.token).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_EXPANSION, Stowage, createAccess, parseAccess, serializeAccess } from '../client/index.js';
import { StowageError } from '../common/index.js';
import { PayoutChain, deployPayoutContracts, startAnvil, writePrivateKeyFile, readPrivateKeyFile, type Anvil, type Address } from '../chain/index.js';
import { readAdminToken } from './admin-client.js';
import { DEFAULT_DEVNET_DIR } from './objects.js';
import { NODE_V8_FLAGS } from '../node/index.js';
import { untilStopSignal } from './signals.js';

export interface DevnetFile {
  access: string;
  satellite: { peerId: string; multiaddr: string; adminUrl: string; pid: number; dataDir: string };
  nodes: { peerId: string; multiaddr: string; pid: number; dataDir: string; dashboardUrl: string | null; wallet: string; walletKeyFile: string }[];
  profile: string;
  /** The local chain the satellite pays through: anvil's endpoint, the contracts, the payer. */
  chain: { rpcUrl: string; chainId: number; token: string; distributor: string; payer: string; payerKeyFile: string; pid: number; stateFile: string };
  /** The S3 gateway and the demo credentials registered with it (for the access above). */
  gateway: { endpoint: string; region: string; accessKeyId: string; secretKey: string; pid: number; dataDir: string };
}

/**
 * Starts the devnet's S3 gateway (serving this satellite's accesses only) on the port of last
 * time, or a free one, and gives its endpoint and the demo credentials: last time's when they
 * were for the same access (the gateway keeps them), else newly registered.
 */
async function startDevnetGateway(dir: string, logDir: string, satId: string, access: string, previous: DevnetFile | undefined, children: Child[]): Promise<DevnetFile['gateway']> {
  const dataDir = join(dir, 'gateway');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const start = async (port: string): Promise<{ child: Child; endpoint: string }> => {
    const child = startChild('gateway', ['gateway', 'run', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--satellite', satId], logDir);
    children.push(child);
    const started = await child.waitFor('gateway started');
    return { child, endpoint: started.endpoint as string };
  };
  const oldPort = previous?.gateway ? new URL(previous.gateway.endpoint).port : '';
  let gw: { child: Child; endpoint: string };
  try {
    gw = await start(oldPort || '0');
  } catch (err) {
    if (!oldPort) throw err;
    // Last time's port is taken: a free one.
    gw = await start('0');
  }
  // Last time's credentials while the gateway's store that keeps them is still there.
  let creds =
    previous?.gateway && previous.access === access && existsSync(join(dataDir, 'credentials', 'CURRENT'))
      ? { accessKeyId: previous.gateway.accessKeyId, secretKey: previous.gateway.secretKey }
      : undefined;
  if (!creds) {
    const res = await fetch(`${gw.endpoint}/_stowage/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access }) });
    const text = await res.text();
    if (!res.ok) throw new StowageError('DEVNET_START_FAILED', `the gateway registered no credentials: ${text.slice(0, 300)}`);
    creds = JSON.parse(text) as { accessKeyId: string; secretKey: string };
  }
  return { endpoint: gw.endpoint, region: 'us-east-1', accessKeyId: creds.accessKeyId, secretKey: creds.secretKey, pid: gw.child.proc.pid!, dataDir };
}

/** Devnet token minted to the payer at the first start: 10^9 tokens of 6 decimals. */
const DEVNET_MINT = 10n ** 15n;

/**
 * Starts the devnet's chain: anvil on the port of last time (its state reloaded) or a free one;
 * the contracts deployed when the chain has none yet (a first start, or a lost state file).
 */
async function startDevnetChain(dir: string, previous: DevnetFile | undefined): Promise<{ anvil: Anvil; chain: Omit<DevnetFile['chain'], 'pid'> }> {
  const chainDir = join(dir, 'chain');
  mkdirSync(chainDir, { recursive: true, mode: 0o700 });
  const stateFile = join(chainDir, 'anvil-state.json');
  const port = previous?.chain !== undefined ? Number(new URL(previous.chain.rpcUrl).port) : undefined;
  let anvil: Anvil;
  try {
    anvil = await startAnvil({ port, stateFile });
  } catch {
    // The old port is taken: a fresh one (the state file still holds the chain).
    anvil = await startAnvil({ stateFile });
  }
  const payerKeyFile = join(chainDir, 'payer.key');
  // The payer is anvil's first development account: test money, its key public anyway.
  const payer = existsSync(payerKeyFile) ? readPrivateKeyFile(payerKeyFile) : writePrivateKeyFile(payerKeyFile, anvil.accounts[0]!.privateKey);
  let contracts = previous?.chain !== undefined ? { token: previous.chain.token as Address, distributor: previous.chain.distributor as Address } : undefined;
  if (contracts !== undefined) {
    let ours: boolean;
    try {
      const chain = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, ...contracts });
      await chain.state();
      ours = await chain.distributorIsOurs();
    } catch {
      contracts = undefined;
      ours = true;
    }
    if (!ours) {
      await anvil.stop();
      // Its satellite has published through that distributor: another one would pay it all again.
      throw new StowageError('CLI_USAGE', `the devnet in ${dir} was made by another version of Stowage (its payout distributor is not this version's): remove ${dir}, or give another --dir`);
    }
  }
  contracts ??= await deployPayoutContracts(anvil.rpcUrl, payer.privateKey, { mint: [{ to: payer.address, amount: DEVNET_MINT }] });
  return { anvil, chain: { rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, token: contracts.token, distributor: contracts.distributor, payer: payer.address, payerKeyFile, stateFile } };
}

/**
 * A profile that fits n nodes: k = n/3, success = n - n/3, repair between; k at least n/4, so n/k
 * stays within a client's default maxExpansion (4: 5 nodes gave 1 of 5, which clients refuse).
 */
export function devnetProfile(n: number): string {
  if (!Number.isInteger(n) || n < 3 || n > 100) throw new StowageError('CLI_USAGE', `a devnet needs 3 to 100 nodes, got ${n}`);
  const k = Math.max(1, Math.floor(n / 3), Math.ceil(n / DEFAULT_MAX_EXPANSION));
  const success = Math.max(k + 1, n - Math.floor(n / 3));
  const repair = k + Math.floor((success - k) / 2);
  return `${k}/${repair}/${success}/${n}`;
}

interface Child {
  name: string;
  proc: ChildProcess;
  waitFor(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function startChild(name: string, args: string[], logDir: string, env: NodeJS.ProcessEnv = {}): Child {
  const v8Flags = args[0] === 'node' ? NODE_V8_FLAGS : [];
  const proc = spawn(process.execPath, [...v8Flags, process.argv[1]!, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const seen: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (l: Record<string, unknown>) => void }[] = [];
  let buffered = '';
  proc.stdout.on('data', (d: Buffer) => {
    log.write(d);
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const text of lines) {
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        seen.push(line);
        for (const w of waiters.filter((x) => x.msg === line.msg)) w.resolve(line);
      } catch {
        // not a log line
      }
    }
  });
  proc.stderr.on('data', (d: Buffer) => log.write(d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    name,
    proc,
    waitFor: (msg, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const hit = seen.find((l) => l.msg === msg);
        if (hit) return resolve(hit);
        waiters.push({ msg, resolve });
        const timer = setTimeout(() => reject(new StowageError('DEVNET_START_FAILED', `${name} did not log '${msg}' within ${timeoutMs} ms (see ${join(logDir, `${name}.log`)})`)), timeoutMs);
        timer.unref();
        void exited.then((code) => reject(new StowageError('DEVNET_START_FAILED', `${name} exited with code ${code} (see ${join(logDir, `${name}.log`)})`)));
      })
  };
}

export async function devnetCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'up') throw new StowageError('CLI_USAGE', 'usage: stowage devnet up [--dir DIR] [--nodes N] [--profile K/R/S/T]');
  const { values } = parseArgs({ args: rest, strict: true, options: { dir: { type: 'string' }, nodes: { type: 'string' }, profile: { type: 'string' } } });
  const dir = resolve(values.dir ?? process.env.STOWAGE_DEVNET_DIR ?? DEFAULT_DEVNET_DIR);
  const count = Number(values.nodes ?? 6);
  const profile = values.profile ?? devnetProfile(count);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, 'devnet.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevnetFile) : undefined;

  const children: Child[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((r) => {
            if (c.proc.exitCode !== null || c.proc.signalCode !== null) return r();
            c.proc.once('exit', () => r());
            c.proc.kill('SIGTERM');
          })
      )
    );
  };
  let anvil: Anvil | undefined;
  try {
    const started0 = await startDevnetChain(dir, previous);
    anvil = started0.anvil;
    const chain = started0.chain;
    const satDir = join(dir, 'satellite');
    const chainFlags = ['--chain-rpc', chain.rpcUrl, '--token', chain.token, '--distributor', chain.distributor, '--payer-key-file', chain.payerKeyFile];
    const sat = startChild('satellite', ['satellite', 'run', '--data-dir', satDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--admin', '127.0.0.1:0', '--profile', profile, ...chainFlags], logDir, {
      STOWAGE_SATELLITE_DISTINCT_SUBNETS: 'false',
      // Audits every 30 s, so a devnet shows them working; payout periods of an hour.
      STOWAGE_SATELLITE_AUDIT_INTERVAL_MS: process.env.STOWAGE_SATELLITE_AUDIT_INTERVAL_MS ?? '30000',
      STOWAGE_SATELLITE_PAYOUT_PERIOD_MS: process.env.STOWAGE_SATELLITE_PAYOUT_PERIOD_MS ?? '3600000',
      // Devnet rates large enough to see tokens move within minutes of a few megabytes: a million
      // tokens per TB-month (about 1.4 millitokens per MB-hour) and 0.01 per audit passed.
      STOWAGE_SATELLITE_STORAGE_RATE: process.env.STOWAGE_SATELLITE_STORAGE_RATE ?? '1000000',
      STOWAGE_SATELLITE_AUDIT_RATE: process.env.STOWAGE_SATELLITE_AUDIT_RATE ?? '0.01',
      // And egress at a million tokens per TB (1 per MB) downloaded, settled every minute.
      STOWAGE_SATELLITE_EGRESS_RATE: process.env.STOWAGE_SATELLITE_EGRESS_RATE ?? '1000000',
      STOWAGE_SATELLITE_REPAIR_EGRESS_RATE: process.env.STOWAGE_SATELLITE_REPAIR_EGRESS_RATE ?? '1000000',
      // A node stopped by hand counts as gone within a minute (uptime checks every 15 s, online
      // window 45 s) and its segments are checked and repaired every 15 s: a user who kills nodes
      // of `npm start` sees repair happen (the defaults wait 4 hours, for real networks' churn).
      STOWAGE_SATELLITE_UPTIME_CHECK_INTERVAL_MS: process.env.STOWAGE_SATELLITE_UPTIME_CHECK_INTERVAL_MS ?? '15000',
      STOWAGE_SATELLITE_ONLINE_WITHIN_MS: process.env.STOWAGE_SATELLITE_ONLINE_WITHIN_MS ?? '45000',
      STOWAGE_SATELLITE_REPAIR_INTERVAL_MS: process.env.STOWAGE_SATELLITE_REPAIR_INTERVAL_MS ?? '15000'
    });
    children.push(sat);
    const started = await sat.waitFor('satellite started');
    const satId = started.satelliteId as string;
    const satAddr = (started.addresses as string[])[0]!.replace(/\/p2p\/.*$/, '');
    const adminUrl = started.admin as string;
    const adminToken = readAdminToken(satDir);
    if (!adminToken) throw new StowageError('DEVNET_START_FAILED', `the satellite wrote no admin token in ${satDir}`);

    const nodes = Array.from({ length: count }, (_, i) => {
      const nodeDir = join(dir, `node-${i + 1}`);
      mkdirSync(nodeDir, { recursive: true, mode: 0o700 });
      chmodSync(nodeDir, 0o700);
      // A wallet of its own, generated once: the satellite pays it on the devnet's chain, which
      // the node reads to check its pay (its dashboard's "Payouts on chain").
      const walletKeyFile = join(nodeDir, 'wallet.key');
      const wallet = (existsSync(walletKeyFile) ? readPrivateKeyFile(walletKeyFile) : writePrivateKeyFile(walletKeyFile)).address;
      const child = startChild(`node-${i + 1}`, ['node', 'run', '--data-dir', nodeDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--satellite', `${satId}@${satAddr}`, '--capacity', '10GB', '--dashboard', '127.0.0.1:0', '--wallet', wallet, '--chain-rpc', chain.rpcUrl, '--distributor', chain.distributor], logDir, {
        // Check in (and fetch payout statements) and settle egress every minute, sample the charts every 10 s,
        // unless the environment says otherwise.
        STOWAGE_NODE_CHECK_IN_INTERVAL_MS: process.env.STOWAGE_NODE_CHECK_IN_INTERVAL_MS ?? '60000',
        STOWAGE_NODE_SETTLE_INTERVAL_MS: process.env.STOWAGE_NODE_SETTLE_INTERVAL_MS ?? '60000',
        STOWAGE_NODE_HISTORY_INTERVAL_MS: process.env.STOWAGE_NODE_HISTORY_INTERVAL_MS ?? '10000'
      });
      children.push(child);
      return { child, nodeDir, wallet, walletKeyFile };
    });
    const nodeInfo = await Promise.all(
      nodes.map(async ({ child, nodeDir, wallet, walletKeyFile }) => {
        const s = await child.waitFor('storage node started');
        await child.waitFor('checked in');
        return { peerId: s.nodeId as string, multiaddr: (s.addresses as string[])[0]!, pid: child.proc.pid!, dataDir: nodeDir, dashboardUrl: (s.dashboard as string | undefined) ?? null, wallet, walletKeyFile };
      })
    );

    // The same key and secret as last time, so objects stored before stay readable.
    let access: string;
    if (previous && parseAccess(previous.access).satelliteId === satId) {
      access = serializeAccess({ ...parseAccess(previous.access), satelliteAddress: satAddr });
    } else {
      const res = await fetch(`${adminUrl}/api/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'devnet' })
      });
      const body = (await res.json()) as { key?: string; error?: { message: string } };
      if (!res.ok || !body.key) throw new StowageError('DEVNET_START_FAILED', `the satellite made no API key: ${body.error?.message ?? res.status}`);
      access = createAccess(`${satId}@${satAddr}`, body.key);
    }
    const client = await Stowage.connect(access);
    try {
      if (!(await client.listBuckets()).some((b) => b.name === 'demo')) await client.createBucket('demo');
    } finally {
      await client.close();
    }
    const gateway = await startDevnetGateway(dir, logDir, satId, access, previous, children);
    const devnet: DevnetFile = {
      access,
      gateway,
      satellite: { peerId: satId, multiaddr: `${satAddr}/p2p/${satId}`, adminUrl, pid: sat.proc.pid!, dataDir: satDir },
      nodes: nodeInfo,
      profile,
      chain: { ...chain, pid: anvil.pid }
    };
    // Atomically and 0600: it holds the API key and the encryption secret.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(devnet, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
    console.log(`Stowage devnet is up: a satellite, ${count} storage nodes and an S3 gateway on loopback (profile ${profile}).

  data and logs   ${dir}
  devnet.json     ${file}
  satellite page  ${adminUrl}/#token=${adminToken}
                  (admin API under ${adminUrl}/api/, token in ${join(satDir, 'admin.token')})
  node dashboards ${nodeInfo.map((n) => n.dashboardUrl).join(' ')}
  chain           ${chain.rpcUrl} (anvil): token ${chain.token}, distributor ${chain.distributor}
  S3 gateway      ${gateway.endpoint} (access key id ${gateway.accessKeyId}; the secret is in devnet.json)

Try, in another terminal:
  npx stowage put README.md stow://demo/readme.md
  npx stowage ls stow://demo
  npx stowage get stow://demo/readme.md /tmp/readme.md

Or with any S3 tool:
  AWS_ACCESS_KEY_ID=${gateway.accessKeyId} AWS_SECRET_ACCESS_KEY=${gateway.secretKey} aws --endpoint-url ${gateway.endpoint} --region ${gateway.region} s3 ls s3://demo

The CLI finds the access in devnet.json (or give --access / STOWAGE_ACCESS). Ctrl-C stops the network.`);
    let stopping = false;
    for (const c of children) {
      void new Promise((r) => c.proc.on('exit', r)).then(() => {
        if (!stopping) console.error(`stowage devnet: ${c.name} exited; see ${join(logDir, `${c.name}.log`)}`);
      });
    }
    await untilStopSignal();
    stopping = true;
    console.log('stopping the devnet...');
    await stopAll();
    // The chain last: its state is saved as it stops (SIGTERM).
    await anvil.stop();
    return 0;
  } catch (err) {
    await stopAll();
    await anvil?.stop();
    throw err;
  }
}
