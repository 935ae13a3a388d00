// The satellite's configuration: flags, then environment variables, then a JSON file (--config),
// then SATELLITE_DEFAULTS (all in the README).
import { parseArgs } from 'node:util';
import { ConfigError, readConfigFile, splitList } from '../common/index.js';
import type { AuditConfig } from './audit/index.js';
import { SATELLITE_DEFAULTS, type SatelliteConfig } from './config.js';
import { parseAllowPrivateAddresses } from './contact/index.js';
import type { GcConfig } from './gc/index.js';
import { DEFAULT_PROFILE, checkProjectLimits, parseProfile, type ProjectLimits } from './metainfo/index.js';
import { CHAIN_PAYOUT_DEFAULTS, parseTokens, type ChainPayoutConfig, type PayoutConfig } from './payouts/index.js';
import { checkRepairConfig, type RepairConfig } from './repair/index.js';
import type { ReputationConfig } from './reputation/index.js';

export function loadSatelliteConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): SatelliteConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      listen: { type: 'string', multiple: true },
      announce: { type: 'string', multiple: true },
      admin: { type: 'string' },
      'admin-host': { type: 'string', multiple: true },
      profile: { type: 'string' },
      'allow-private-addresses': { type: 'string' },
      'chain-rpc': { type: 'string' },
      token: { type: 'string' },
      distributor: { type: 'string' },
      'payer-key-file': { type: 'string' },
      'log-level': { type: 'string' }
    }
  });
  const configFile = values.config ?? env.STOWAGE_SATELLITE_CONFIG;
  const file = readConfigFile(configFile);
  const fromFile = <T>(k: string): T | undefined => file[k] as T | undefined;
  const d = SATELLITE_DEFAULTS;
  const num = (name: string): number | undefined => numberFrom(env[name], name);
  return {
    ...d,
    dataDir: values['data-dir'] ?? env.STOWAGE_SATELLITE_DATA_DIR ?? fromFile('dataDir') ?? d.dataDir,
    database: databaseUrl(values.database ?? env.STOWAGE_SATELLITE_DATABASE ?? fromFile('database') ?? d.database),
    leaseTtlMs: positive(num('STOWAGE_SATELLITE_LEASE_TTL_MS') ?? fromFile('leaseTtlMs') ?? d.leaseTtlMs, 'leaseTtlMs'),
    listen: values.listen ?? splitList(env.STOWAGE_SATELLITE_LISTEN) ?? fromFile('listen') ?? d.listen,
    announce: values.announce ?? splitList(env.STOWAGE_SATELLITE_ANNOUNCE) ?? fromFile('announce') ?? d.announce,
    admin: values.admin ?? env.STOWAGE_SATELLITE_ADMIN ?? fromFile('admin') ?? d.admin,
    adminHosts: values['admin-host'] ?? splitList(env.STOWAGE_SATELLITE_ADMIN_HOSTS) ?? fromFile('adminHosts') ?? d.adminHosts,
    adminMetricsAuth: env.STOWAGE_SATELLITE_ADMIN_METRICS_AUTH !== undefined ? env.STOWAGE_SATELLITE_ADMIN_METRICS_AUTH === 'true' : (fromFile('adminMetricsAuth') ?? d.adminMetricsAuth),
    dialTimeoutMs: num('STOWAGE_SATELLITE_DIAL_TIMEOUT_MS') ?? fromFile('dialTimeoutMs') ?? d.dialTimeoutMs,
    checkInIntervalMs: num('STOWAGE_SATELLITE_CHECK_IN_INTERVAL_MS') ?? fromFile('checkInIntervalMs') ?? d.checkInIntervalMs,
    uptimeCheckIntervalMs: num('STOWAGE_SATELLITE_UPTIME_CHECK_INTERVAL_MS') ?? fromFile('uptimeCheckIntervalMs') ?? d.uptimeCheckIntervalMs,
    uptimeConcurrency: num('STOWAGE_SATELLITE_UPTIME_CONCURRENCY') ?? fromFile('uptimeConcurrency') ?? d.uptimeConcurrency,
    uptimeWindowMs: num('STOWAGE_SATELLITE_UPTIME_WINDOW_MS') ?? fromFile('uptimeWindowMs') ?? d.uptimeWindowMs,
    uptimePeriodMs: num('STOWAGE_SATELLITE_UPTIME_PERIOD_MS') ?? fromFile('uptimePeriodMs') ?? d.uptimePeriodMs,
    minIdentityDifficulty: num('STOWAGE_SATELLITE_MIN_IDENTITY_DIFFICULTY') ?? fromFile('minIdentityDifficulty') ?? d.minIdentityDifficulty,
    checkInsPerSecond: num('STOWAGE_SATELLITE_CHECK_INS_PER_SECOND') ?? fromFile('checkInsPerSecond') ?? d.checkInsPerSecond,
    checkInBurst: num('STOWAGE_SATELLITE_CHECK_IN_BURST') ?? fromFile('checkInBurst') ?? d.checkInBurst,
    maxConcurrentDialBacks: num('STOWAGE_SATELLITE_MAX_CONCURRENT_DIAL_BACKS') ?? fromFile('maxConcurrentDialBacks') ?? d.maxConcurrentDialBacks,
    allowPrivateAddresses:
      parseAllowPrivateAddresses(values['allow-private-addresses'], '--allow-private-addresses') ??
      parseAllowPrivateAddresses(env.STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES, 'STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES') ??
      parseAllowPrivateAddresses(fromFile('allowPrivateAddresses'), 'allowPrivateAddresses in the config file') ??
      d.allowPrivateAddresses,
    metainfoRequestsPerSecond: num('STOWAGE_SATELLITE_METAINFO_REQUESTS_PER_SECOND') ?? fromFile('metainfoRequestsPerSecond') ?? d.metainfoRequestsPerSecond,
    metainfoBurst: num('STOWAGE_SATELLITE_METAINFO_BURST') ?? fromFile('metainfoBurst') ?? d.metainfoBurst,
    projectLimits: { ...d.projectLimits, ...checkProjectLimits(fromFile<Partial<ProjectLimits>>('projectLimits') ?? {}, 'projectLimits') },
    selectionCacheMs: num('STOWAGE_SATELLITE_SELECTION_CACHE_MS') ?? fromFile('selectionCacheMs') ?? d.selectionCacheMs,
    pruneUnreachedAfterMs: num('STOWAGE_SATELLITE_PRUNE_UNREACHED_AFTER_MS') ?? fromFile('pruneUnreachedAfterMs') ?? d.pruneUnreachedAfterMs,
    nodeStatsCacheMs: num('STOWAGE_SATELLITE_NODE_STATS_CACHE_MS') ?? fromFile('nodeStatsCacheMs') ?? d.nodeStatsCacheMs,
    logLevel: values['log-level'] ?? env.STOWAGE_LOG_LEVEL ?? fromFile('logLevel') ?? d.logLevel,
    profile: parseProfile(values.profile ?? env.STOWAGE_SATELLITE_PROFILE ?? fromFile<string>('profile') ?? DEFAULT_PROFILE),
    distinctSubnets: env.STOWAGE_SATELLITE_DISTINCT_SUBNETS !== undefined ? env.STOWAGE_SATELLITE_DISTINCT_SUBNETS !== 'false' : (fromFile('distinctSubnets') ?? d.distinctSubnets),
    newNodeShare: num('STOWAGE_SATELLITE_NEW_NODE_SHARE') ?? fromFile('newNodeShare') ?? d.newNodeShare,
    maxInlineBytes: num('STOWAGE_SATELLITE_MAX_INLINE_BYTES') ?? fromFile('maxInlineBytes') ?? d.maxInlineBytes,
    maxPieceSize: num('STOWAGE_SATELLITE_MAX_PIECE_SIZE') ?? fromFile('maxPieceSize') ?? d.maxPieceSize,
    downloadMargin: num('STOWAGE_SATELLITE_DOWNLOAD_MARGIN') ?? fromFile('downloadMargin') ?? d.downloadMargin,
    orderTtlMs: num('STOWAGE_SATELLITE_ORDER_TTL_MS') ?? fromFile('orderTtlMs') ?? d.orderTtlMs,
    settlementWindowMs: positive(num('STOWAGE_SATELLITE_SETTLEMENT_WINDOW_MS') ?? fromFile('settlementWindowMs') ?? d.settlementWindowMs, 'settlementWindowMs'),
    settlementsPerSecond: nonNegative(num('STOWAGE_SATELLITE_SETTLEMENTS_PER_SECOND') ?? fromFile('settlementsPerSecond') ?? d.settlementsPerSecond, 'settlementsPerSecond'),
    pendingTtlMs: num('STOWAGE_SATELLITE_PENDING_TTL_MS') ?? fromFile('pendingTtlMs') ?? d.pendingTtlMs,
    onlineWithinMs: num('STOWAGE_SATELLITE_ONLINE_WITHIN_MS') ?? fromFile('onlineWithinMs') ?? d.onlineWithinMs,
    auditIntervalMs: numberFrom(env.STOWAGE_SATELLITE_AUDIT_INTERVAL_MS, 'STOWAGE_SATELLITE_AUDIT_INTERVAL_MS') ?? fromFile('auditIntervalMs') ?? d.auditIntervalMs,
    audit: { ...d.audit, ...fromFile<Partial<AuditConfig>>('audit') },
    reputation: { ...d.reputation, ...fromFile<Partial<ReputationConfig>>('reputation') },
    gc: { ...d.gc, ...fromFile<Partial<GcConfig>>('gc') },
    repair: checkRepairConfig({
      ...d.repair,
      ...fromFile<Partial<RepairConfig>>('repair'),
      ...(env.STOWAGE_SATELLITE_REPAIR_INTERVAL_MS !== undefined
        ? { checkIntervalMs: numberFrom(env.STOWAGE_SATELLITE_REPAIR_INTERVAL_MS, 'STOWAGE_SATELLITE_REPAIR_INTERVAL_MS')!, repairIntervalMs: numberFrom(env.STOWAGE_SATELLITE_REPAIR_INTERVAL_MS, 'STOWAGE_SATELLITE_REPAIR_INTERVAL_MS')! }
        : {})
    }),
    chain: chainConfig(
      {
        rpcUrl: values['chain-rpc'] ?? env.STOWAGE_SATELLITE_CHAIN_RPC,
        token: values.token ?? env.STOWAGE_SATELLITE_TOKEN,
        distributor: values.distributor ?? env.STOWAGE_SATELLITE_DISTRIBUTOR,
        payerKeyFile: values['payer-key-file'] ?? env.STOWAGE_SATELLITE_PAYER_KEY_FILE,
        claimBatchSize: num('STOWAGE_SATELLITE_CLAIM_BATCH_SIZE'),
        retryMs: num('STOWAGE_SATELLITE_CHAIN_RETRY_MS'),
        confirmations: num('STOWAGE_SATELLITE_CHAIN_CONFIRMATIONS'),
        push: env.STOWAGE_SATELLITE_CHAIN_PUSH === undefined ? undefined : env.STOWAGE_SATELLITE_CHAIN_PUSH !== 'false'
      },
      fromFile<Partial<ChainPayoutConfig>>('chain') ?? {}
    ),
    payout: checkPayoutConfig({
      ...d.payout,
      ...fromFile<Partial<PayoutConfig>>('payout'),
      ...(env.STOWAGE_SATELLITE_PAYOUT_PERIOD_MS !== undefined ? { periodMs: numberFrom(env.STOWAGE_SATELLITE_PAYOUT_PERIOD_MS, 'STOWAGE_SATELLITE_PAYOUT_PERIOD_MS')! } : {}),
      ...(env.STOWAGE_SATELLITE_STORAGE_RATE !== undefined ? { storageRate: tokensFrom(env.STOWAGE_SATELLITE_STORAGE_RATE, 'STOWAGE_SATELLITE_STORAGE_RATE') } : {}),
      ...(env.STOWAGE_SATELLITE_AUDIT_RATE !== undefined ? { auditRate: tokensFrom(env.STOWAGE_SATELLITE_AUDIT_RATE, 'STOWAGE_SATELLITE_AUDIT_RATE') } : {}),
      ...(env.STOWAGE_SATELLITE_EGRESS_RATE !== undefined ? { egressRate: tokensFrom(env.STOWAGE_SATELLITE_EGRESS_RATE, 'STOWAGE_SATELLITE_EGRESS_RATE') } : {}),
      ...(env.STOWAGE_SATELLITE_REPAIR_EGRESS_RATE !== undefined ? { repairEgressRate: tokensFrom(env.STOWAGE_SATELLITE_REPAIR_EGRESS_RATE, 'STOWAGE_SATELLITE_REPAIR_EGRESS_RATE') } : {}),
      ...(env.STOWAGE_SATELLITE_MINIMUM_PAYOUT !== undefined ? { minimumPayout: tokensFrom(env.STOWAGE_SATELLITE_MINIMUM_PAYOUT, 'STOWAGE_SATELLITE_MINIMUM_PAYOUT') } : {})
    })
  };
}

/** '' (the embedded LevelDB) or a postgres:// (postgresql://) URL. */
function databaseUrl(value: string): string {
  if (value === '' || /^postgres(ql)?:\/\/./.test(value)) return value;
  throw new ConfigError(`the database must be a postgres:// URL (or empty for the embedded LevelDB), not ${JSON.stringify(value.replace(/:[^:@/]*@/, ':***@'))}`);
}

/** Most claims in one claimMany transaction. */
const MAX_CLAIM_BATCH = 500;

function numberFrom(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${name} must be a non-negative number, got '${text}'`);
  return n;
}


/**
 * The chain payout settings, each from a flag or variable first, then the file's `chain` object;
 * null when none of the endpoint, token, distributor and key is set; all four or a ConfigError.
 */
function chainConfig(given: { [K in keyof ChainPayoutConfig]?: ChainPayoutConfig[K] | undefined }, file: Partial<ChainPayoutConfig>): ChainPayoutConfig | null {
  const pick = <K extends keyof ChainPayoutConfig>(k: K): ChainPayoutConfig[K] | undefined => given[k] ?? file[k];
  const required = { rpcUrl: '--chain-rpc', token: '--token', distributor: '--distributor', payerKeyFile: '--payer-key-file' } as const;
  const set = (Object.keys(required) as (keyof typeof required)[]).filter((k) => pick(k) !== undefined && pick(k) !== '');
  if (set.length === 0) return null;
  const missing = (Object.keys(required) as (keyof typeof required)[]).filter((k) => !set.includes(k));
  if (missing.length > 0) throw new ConfigError(`payouts on a chain need ${missing.map((k) => required[k]).join(', ')} as well (given: ${set.map((k) => required[k]).join(', ')})`);
  const rpcUrl = String(pick('rpcUrl'));
  if (!/^https?:\/\//.test(rpcUrl)) throw new ConfigError(`--chain-rpc must be an http(s) URL, got '${rpcUrl}'`);
  for (const k of ['token', 'distributor'] as const) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(String(pick(k)))) throw new ConfigError(`${required[k]} must be a contract address (0x and 40 hex digits), got '${String(pick(k))}'`);
  }
  const claimBatchSize = pick('claimBatchSize') ?? CHAIN_PAYOUT_DEFAULTS.claimBatchSize;
  // A claim costs about 55,000 gas: 500 of them fill most of a 30M-gas block.
  if (!Number.isInteger(claimBatchSize) || claimBatchSize < 1 || claimBatchSize > MAX_CLAIM_BATCH) throw new ConfigError(`claimBatchSize must be an integer from 1 to ${MAX_CLAIM_BATCH}, got '${claimBatchSize}'`);
  const push = pick('push') ?? CHAIN_PAYOUT_DEFAULTS.push;
  // A string "false" in the file would otherwise count as true.
  if (typeof push !== 'boolean') throw new ConfigError(`chain.push must be true or false, got '${String(push)}'`);
  const retryMs = nonNegative(pick('retryMs') ?? CHAIN_PAYOUT_DEFAULTS.retryMs, 'chain.retryMs');
  const confirmations = pick('confirmations') ?? CHAIN_PAYOUT_DEFAULTS.confirmations;
  if (!Number.isInteger(confirmations) || confirmations < 1 || confirmations > 1000) throw new ConfigError(`chain.confirmations must be an integer from 1 to 1000, got '${String(confirmations)}'`);
  return {
    rpcUrl,
    token: String(pick('token')),
    distributor: String(pick('distributor')),
    payerKeyFile: String(pick('payerKeyFile')),
    claimBatchSize,
    retryMs,
    push,
    confirmations
  };
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ConfigError(`${name} must be a non-negative number, got '${String(value)}'`);
  return value;
}

function positive(value: unknown, name: string): number {
  if (nonNegative(value, name) === 0) throw new ConfigError(`${name} must be more than 0`);
  return value as number;
}

/** The payout settings as merged from defaults, the file and the environment, each checked (a rate the file gives as a JSON number is taken as its decimal text). */
function checkPayoutConfig(p: PayoutConfig): PayoutConfig {
  const tokens = (k: 'storageRate' | 'auditRate' | 'egressRate' | 'repairEgressRate' | 'minimumPayout'): string => {
    const v = p[k] as unknown;
    if (typeof v !== 'string' && typeof v !== 'number') throw new ConfigError(`payout.${k} must be a token amount, got '${String(v)}'`);
    return tokensFrom(String(v), `payout.${k}`);
  };
  if (typeof p.heldBack !== 'boolean') throw new ConfigError(`payout.heldBack must be true or false, got '${String(p.heldBack)}'`);
  return {
    ...p,
    periodMs: nonNegative(p.periodMs, 'payout.periodMs'),
    storageRate: tokens('storageRate'),
    auditRate: tokens('auditRate'),
    egressRate: tokens('egressRate'),
    repairEgressRate: tokens('repairEgressRate'),
    minimumPayout: tokens('minimumPayout')
  };
}

/** A token amount (decimal, at most 6 places, not negative) from the environment. */
function tokensFrom(text: string, name: string): string {
  let units: bigint;
  try {
    units = parseTokens(text);
  } catch {
    throw new ConfigError(`${name} must be a token amount with at most 6 decimals, got '${text}'`);
  }
  if (units < 0n) throw new ConfigError(`${name} must not be negative, got '${text}'`);
  return text;
}
