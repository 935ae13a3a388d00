// `stowage node run`: a storage node in the foreground until SIGTERM or SIGINT, which finish or
// abort transfers in progress and close the stores before exiting 0. `stowage node earnings`:
// the node's verified payout statements.
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Libp2p } from '@libp2p/interface';
import {
  ConfigError,
  buildSatellitePay,
  checkClaimOnChain,
  fetchClaim,
  loadNodeConfig,
  loadOrCreateIdentity,
  NODE_DEFAULTS,
  readChainFacts,
  StorageNode,
  toKeptClaim,
  viewWallet,
  type KeptClaim,
  type KeptStatement,
  type NodeConfig,
  type SatellitePay,
  type TrustedSatellite
} from '../node/index.js';
import { PayoutChain, readPrivateKeyFile, type Address, type Hex } from '../chain/index.js';
import { createHost } from '../protocol/index.js';
import { untilStopSignal } from './signals.js';

export const NODE_USAGE = `usage: stowage node run [options]
       stowage node earnings [--period N] [--json] [options]
       stowage node claim --chain-rpc URL --key-file FILE [--period N] [--json] [options]
       stowage node setup [--identity-dir DIR | --data-dir DIR]

options (environment variable in brackets; defaults in the README):
  --data-dir DIR            identity, pieces and records [STOWAGE_NODE_DATA_DIR] (./stowage-node)
  --identity-dir DIR        where identity.key is kept, if not the data dir [STOWAGE_NODE_IDENTITY_DIR]
  --dashboard HOST:PORT     dashboard and its JSON API, '' for none [STOWAGE_NODE_DASHBOARD] (127.0.0.1:14002)
  --listen MULTIADDR        repeatable [STOWAGE_NODE_LISTEN, comma-separated] (/ip4/0.0.0.0/tcp/28967)
  --announce MULTIADDR      repeatable, the addresses others should dial [STOWAGE_NODE_ANNOUNCE]
  --capacity SIZE           like 2TB or 500GB [STOWAGE_NODE_CAPACITY] (1TB)
  --satellite ID@MULTIADDR  a trusted satellite, repeatable [STOWAGE_NODE_SATELLITES] (required)
  --wallet ADDRESS          where payouts go [STOWAGE_NODE_WALLET]
  --email ADDRESS           operator contact [STOWAGE_NODE_EMAIL]
  --chain-rpc URL           EVM JSON-RPC endpoint to check pay on chain, '' for none [STOWAGE_NODE_CHAIN_RPC]
  --distributor ADDRESS     the payout distributor this node trusts [STOWAGE_NODE_DISTRIBUTOR]
  --token ADDRESS           the payout token this node trusts [STOWAGE_NODE_TOKEN]
  --log-level LEVEL         trace, debug, info, warn, error [STOWAGE_LOG_LEVEL] (info)
  --config FILE             JSON with the same settings in camelCase [STOWAGE_NODE_CONFIG]

earnings asks each trusted satellite for the node's payout statement (the latest closed period, or
--period N) with the node's identity, checks the satellite's signature and the hash chain of the
entries, and prints them; a statement that does not verify is an error (exit 1). With --chain-rpc
it also reads every earlier statement and checks the pay on chain: per period the amount, the
satellite's leaf under the root the distributor holds, the transaction that paid it and whether it
is claimed or pending; for the wallet what the statements owe against what the distributor paid
and the wallet holds. A leaf not under the root on chain is flagged (exit 1). --json adds this as
\`chain\` to each statement.

claim asks each trusted satellite for the node's leaf of the period's payout root on chain (the
latest closed period, or --period N), checks it against the root the distributor holds at
--chain-rpc [STOWAGE_NODE_CHAIN_RPC] (a leaf not under it is an error, exit 1), and, when the
wallet is owed more than it was paid, submits the claim from the account in --key-file
[STOWAGE_NODE_CLAIM_KEY_FILE] (0600; it pays gas, the tokens go to the leaf's wallet).
--distributor [STOWAGE_NODE_DISTRIBUTOR] (required) and --token [STOWAGE_NODE_TOKEN] must be the
contracts the satellite names; the leaf must pay the node's own wallet.`;

/** Most periods `node earnings` reads to check a wallet's pay on chain (each is one request). */
const MAX_CHAIN_VIEW_PERIODS = 500;

async function earnings(argv: string[]): Promise<number> {
  const { values, rest } = takeOwn(argv);
  const config = loadNodeConfig(rest);
  const key = await loadOrCreateIdentity(config.identityDir || config.dataDir);
  const nodeId = peerIdFromPrivateKey(key).toString();
  const libp2p = await createHost({ privateKey: key });
  let failed = false;
  try {
    for (const satellite of config.satellites) {
      try {
        const { statement: s, claim } = await fetchClaim(libp2p, satellite, nodeId, values.period, config.contactTimeoutMs);
        const chain = config.chainRpc === '' ? undefined : await chainView(libp2p, satellite, nodeId, s, claim === undefined ? undefined : toKeptClaim(satellite.peerId, claim), config);
        if (values.json) {
          console.log(JSON.stringify(chain === undefined ? s : { ...s, chain }));
          continue;
        }
        console.log(`satellite ${s.satelliteId}
  period ${s.period}: ${new Date(s.periodStart).toISOString()} to ${new Date(s.periodEnd).toISOString()}
  wallet ${s.wallet || '(none given)'}
  signature and entry chain verified`);
        for (const e of s.entries) console.log(`  ${e.kind.padEnd(8)} ${e.amount.padStart(20)}  ${e.detail}`);
        console.log(`  total    ${s.total.padStart(20)}`);
        if (chain !== undefined) printChainView(chain, s.period);
        // A chain that could not be read, or a flag, is a failure; nothing published yet is not.
        if (chain?.error?.code.startsWith('CHAIN_')) failed = true;
        if (chain?.periods.some((p) => p.status === 'flagged')) failed = true;
      } catch (err) {
        failed = true;
        console.error(`stowage: satellite ${satellite.peerId}: ${(err as Error).message}`);
      }
    }
  } finally {
    await libp2p.stop();
  }
  return failed ? 1 : 0;
}

/**
 * The satellite's pay to this node checked on chain, through `last`: the statements of every
 * period up to it (each verified) with their leaves, against the roots, payments and balance the
 * chain holds.
 */
async function chainView(libp2p: Libp2p, satellite: TrustedSatellite, nodeId: string, last: KeptStatement, lastClaim: KeptClaim | undefined, config: NodeConfig): Promise<SatellitePay> {
  if (last.period > MAX_CHAIN_VIEW_PERIODS) {
    return buildSatellitePay(satellite.peerId, [last], lastClaim ? [lastClaim] : [], undefined, {
      code: 'TOO_MANY_PERIODS',
      message: `${last.period} periods are more than this command reads (${MAX_CHAIN_VIEW_PERIODS}): the node's dashboard (/api/payouts) checks them all`
    });
  }
  const statements: KeptStatement[] = [];
  const claims: KeptClaim[] = [];
  for (let p = 1; p < last.period; p++) {
    const { statement, claim } = await patiently(() => fetchClaim(libp2p, satellite, nodeId, p, config.contactTimeoutMs));
    statements.push(statement);
    if (claim !== undefined) claims.push(toKeptClaim(satellite.peerId, claim));
  }
  statements.push(last);
  if (lastClaim !== undefined) claims.push(lastClaim);
  const options = { ownWallet: config.wallet, distributorPinned: config.distributor !== '', tokenPinned: config.token !== '' };
  const wallet = viewWallet(statements, config.wallet);
  if (wallet === undefined) return buildSatellitePay(satellite.peerId, statements, claims, undefined, { code: 'NO_WALLET', message: "no EVM wallet, neither this node's nor in the latest statement: nothing to check on chain" }, options);
  try {
    const facts = await readChainFacts(config.chainRpc, wallet, claims.filter((c) => c.wallet.toLowerCase() === wallet), config);
    return buildSatellitePay(satellite.peerId, statements, claims, facts, facts === undefined ? { code: 'NOT_PUBLISHED', message: 'the satellite has given no leaf on chain for this wallet yet' } : null, options);
  } catch (err) {
    return buildSatellitePay(satellite.peerId, statements, claims, undefined, { code: (err as { code?: string }).code ?? 'CHAIN_FAILED', message: (err as Error).message }, options);
  }
}

/** Runs `f`, waiting out the satellite's RATE_LIMITED (2 statements a second past a burst) up to a minute. */
async function patiently<T>(f: () => Promise<T>): Promise<T> {
  for (let waited = 0; ; waited += 1000) {
    try {
      return await f();
    } catch (err) {
      if ((err as { code?: string }).code !== 'RATE_LIMITED' || waited >= 60_000) throw err;
      await sleep(1000);
    }
  }
}

function printChainView(v: SatellitePay, period: number): void {
  if (v.error) {
    console.log(`  on chain: not checked: ${v.error.message}`);
    return;
  }
  console.log(`  on chain (distributor ${v.distributor}${v.distributorPinned ? '' : ', named by the satellite: pin it with --distributor'}, token ${v.token}${v.tokenPinned ? '' : ', the one the distributor pays: pin it with --token'}):`);
  for (const p of v.periods) {
    // Every period through the one asked for (the latest, or --period N).
    if (p.period > period) continue;
    const tx = p.payments.map((x) => x.tx).join(' ') || p.publishTx || '';
    console.log(`    period ${String(p.period).padEnd(5)} ${p.amount.padStart(20)}  ${p.status.padEnd(12)} ${tx}`);
    if (p.status === 'flagged') console.log(`      ${p.message}`);
  }
  if (v.wallet) {
    console.log(`  wallet ${v.wallet.wallet}: statements owe ${v.wallet.owed}, published ${v.wallet.published ?? 0}, paid ${v.wallet.paid}, balance ${v.wallet.balance} (token base units)
    ${v.wallet.message}${v.wallet.balanceBelowPaid ? '\n    the wallet holds less than it was paid: tokens moved out of it' : ''}`);
  }
}

/** `stowage node claim`: the node's own claim, checked against the chain first. */
async function claimCommand(argv: string[]): Promise<number> {
  // The sender's key file is this command's own; the chain settings are the node's (flag, env, file).
  let keyFile = process.env.STOWAGE_NODE_CLAIM_KEY_FILE;
  const others: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--key-file') {
      keyFile = argv[++i];
      if (keyFile === undefined) throw new ConfigError('--key-file needs a value');
    } else others.push(argv[i]!);
  }
  const { values, rest } = takeOwn(others);
  const config = loadNodeConfig(rest);
  if (config.chainRpc === '') throw new ConfigError('claim needs --chain-rpc URL (or STOWAGE_NODE_CHAIN_RPC)');
  if (keyFile === undefined) throw new ConfigError('claim needs --key-file FILE (or STOWAGE_NODE_CLAIM_KEY_FILE): the account that sends the claim');
  // The node's operator names the distributor: the satellite's word is not enough to send a
  // transaction with the operator's key (a satellite could name a contract of its own).
  if (config.distributor === '') throw new ConfigError('claim needs --distributor ADDRESS (or STOWAGE_NODE_DISTRIBUTOR): the payout contract this node trusts');
  const own = { 'chain-rpc': config.chainRpc, distributor: config.distributor, token: config.token || undefined };
  const sender = readPrivateKeyFile(keyFile);
  const key = await loadOrCreateIdentity(config.identityDir || config.dataDir);
  const nodeId = peerIdFromPrivateKey(key).toString();
  const libp2p = await createHost({ privateKey: key });
  let failed = false;
  try {
    for (const satellite of config.satellites) {
      try {
        const { statement, claim } = await fetchClaim(libp2p, satellite, nodeId, values.period, config.contactTimeoutMs);
        if (claim === undefined) {
          const text = `satellite ${satellite.peerId}: period ${statement.period} is not published on chain yet, or pays no wallet of this node (wallet ${statement.wallet || 'none given'})`;
          console.log(values.json ? JSON.stringify({ satelliteId: satellite.peerId, period: statement.period, status: 'not-published' }) : text);
          continue;
        }
        // The leaf must pay this node's wallet: the one the satellite signed in the statement and,
        // when this node is configured with one, that one.
        const mine = config.wallet || statement.wallet;
        if (claim.wallet.toLowerCase() !== statement.wallet.toLowerCase() || claim.wallet.toLowerCase() !== mine.toLowerCase()) {
          throw new ConfigError(`the satellite's leaf pays ${claim.wallet}, this node's wallet is ${mine || '(none)'}: not claimed`);
        }
        const check = await checkClaimOnChain(claim, own['chain-rpc'], { distributor: own.distributor, token: own.token });
        if (!check.codeIsOurs) {
          throw new ConfigError(`the contract at ${claim.distributor} is not Stowage's PayoutDistributor (its code differs): its roots and payments prove nothing, not claimed`);
        }
        if (!check.proofValid) {
          throw new ConfigError(`the satellite's leaf for period ${check.period} (wallet ${check.wallet}, ${check.cumulative}) is not under the root on chain (${check.rootOnChain || 'none'}): not claimed`);
        }
        let tx: string | undefined;
        let status = 'already-paid';
        if (check.claimed < check.cumulative) {
          const chain = await PayoutChain.connect({ rpcUrl: own['chain-rpc'], token: claim.token as Address, distributor: claim.distributor as Address, privateKey: sender.privateKey });
          tx = await chain.claim(check.period, { wallet: check.wallet as Address, cumulative: check.cumulative }, claim.proof as Hex[]);
          status = 'claimed';
        }
        const after = await checkClaimOnChain(claim, own['chain-rpc']);
        const out = { satelliteId: satellite.peerId, period: check.period, wallet: check.wallet, cumulative: String(check.cumulative), paidBefore: String(check.claimed), paidNow: String(after.claimed - check.claimed), balance: String(after.balance), status, tx };
        if (values.json) console.log(JSON.stringify(out));
        else
          console.log(`satellite ${satellite.peerId}, period ${out.period}: leaf verified under the root on chain
  wallet ${out.wallet}: owed ${out.cumulative} in all, paid ${out.paidBefore} before, ${out.paidNow} now${tx ? ` (transaction ${tx})` : ' (nothing left to claim)'}
  balance ${out.balance}`);
      } catch (err) {
        failed = true;
        console.error(`stowage: satellite ${satellite.peerId}: ${(err as Error).message}`);
      }
    }
  } finally {
    await libp2p.stop();
  }
  return failed ? 1 : 0;
}

/** Takes `--period N` and `--json` out of the arguments; the rest are the node's options. */
function takeOwn(argv: string[]): { values: { period: number; json: boolean }; rest: string[] } {
  const rest: string[] = [];
  let period = 0;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--period') {
      period = Number(argv[++i]);
      if (!Number.isSafeInteger(period) || period < 1) throw new ConfigError(`--period must be a period number (1, 2, ...), got '${argv[i]}'`);
    } else rest.push(argv[i]!);
  }
  return { values: { period, json }, rest };
}

/** Creates the node's identity (or reads the one there) and prints its peer id. */
async function setup(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { 'identity-dir': { type: 'string' }, 'data-dir': { type: 'string' } } });
  const dir = values['identity-dir'] ?? process.env.STOWAGE_NODE_IDENTITY_DIR ?? values['data-dir'] ?? process.env.STOWAGE_NODE_DATA_DIR ?? NODE_DEFAULTS.dataDir;
  const key = await loadOrCreateIdentity(dir);
  console.log(peerIdFromPrivateKey(key).toString());
  return 0;
}

export async function nodeCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'setup') return setup(rest);
  if (sub === 'earnings' && !rest.includes('--help')) return earnings(rest);
  if (sub === 'claim' && !rest.includes('--help')) return claimCommand(rest);
  if (sub !== 'run' || rest.includes('--help') || rest.includes('-h')) {
    console.log(NODE_USAGE);
    return sub === 'run' || sub === undefined || sub === '--help' ? 0 : 2;
  }
  const node = await StorageNode.start(loadNodeConfig(rest));
  await untilStopSignal();
  await node.stop();
  return 0;
}
