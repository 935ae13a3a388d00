// The gateway's configuration: flags, then environment variables, then a JSON file (--config),
// then GATEWAY_DEFAULTS (all in the README).
import { parseArgs } from 'node:util';
import { ConfigError, readConfigFile, splitList } from '../common/index.js';
import { GATEWAY_DEFAULTS, type GatewayConfig } from './config.js';

export function loadGatewayConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      listen: { type: 'string' },
      domain: { type: 'string' },
      region: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      satellite: { type: 'string', multiple: true },
      registration: { type: 'string' },
      'segment-size': { type: 'string' },
      'upload-memory': { type: 'string' },
      'download-memory': { type: 'string' },
      'download-max-segment': { type: 'string' },
      'min-part-size': { type: 'string' },
      'max-clients': { type: 'string' },
      'access-rate': { type: 'string' },
      'access-burst': { type: 'string' },
      'access-uploads': { type: 'string' },
      'access-downloads': { type: 'string' },
      'access-memory-percent': { type: 'string' },
      'log-level': { type: 'string' }
    }
  });
  const file = readConfigFile(values.config ?? env.STOWAGE_GATEWAY_CONFIG);
  const fromFile = <T>(k: string): T | undefined => file[k] as T | undefined;
  const d = GATEWAY_DEFAULTS;
  const int = (text: string | undefined, name: string, min: number): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${name} must be an integer of at least ${min}, not '${text}'`);
    return n;
  };
  const bool = (text: string | undefined, name: string): boolean | undefined => {
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw new ConfigError(`${name} must be true or false, not '${text}'`);
    return text === 'true';
  };
  const config: GatewayConfig = {
    dataDir: values['data-dir'] ?? env.STOWAGE_GATEWAY_DATA_DIR ?? fromFile('dataDir') ?? d.dataDir,
    listen: values.listen ?? env.STOWAGE_GATEWAY_LISTEN ?? fromFile('listen') ?? d.listen,
    domain: values.domain ?? env.STOWAGE_GATEWAY_DOMAIN ?? fromFile('domain') ?? d.domain,
    region: values.region ?? env.STOWAGE_GATEWAY_REGION ?? fromFile('region') ?? d.region,
    tlsCert: values['tls-cert'] ?? env.STOWAGE_GATEWAY_TLS_CERT ?? fromFile('tlsCert') ?? d.tlsCert,
    tlsKey: values['tls-key'] ?? env.STOWAGE_GATEWAY_TLS_KEY ?? fromFile('tlsKey') ?? d.tlsKey,
    satellites: values.satellite ?? splitList(env.STOWAGE_GATEWAY_SATELLITES) ?? fromFile('satellites') ?? d.satellites,
    registration: bool(values.registration, '--registration') ?? bool(env.STOWAGE_GATEWAY_REGISTRATION, 'STOWAGE_GATEWAY_REGISTRATION') ?? fromFile('registration') ?? d.registration,
    segmentSize: int(values['segment-size'] ?? env.STOWAGE_GATEWAY_SEGMENT_SIZE, 'the segment size', 1024) ?? fromFile('segmentSize') ?? d.segmentSize,
    uploadMemory: int(values['upload-memory'] ?? env.STOWAGE_GATEWAY_UPLOAD_MEMORY, 'the upload memory', 1024 * 1024) ?? fromFile('uploadMemory') ?? d.uploadMemory,
    downloadMemory: int(values['download-memory'] ?? env.STOWAGE_GATEWAY_DOWNLOAD_MEMORY, 'the download memory', 1024 * 1024) ?? fromFile('downloadMemory') ?? d.downloadMemory,
    downloadMaxSegment: int(values['download-max-segment'] ?? env.STOWAGE_GATEWAY_DOWNLOAD_MAX_SEGMENT, 'the largest segment read', 1024) ?? fromFile('downloadMaxSegment') ?? d.downloadMaxSegment,
    minPartSize: int(values['min-part-size'] ?? env.STOWAGE_GATEWAY_MIN_PART_SIZE, 'the minimum part size', 0) ?? fromFile('minPartSize') ?? d.minPartSize,
    maxClients: int(values['max-clients'] ?? env.STOWAGE_GATEWAY_MAX_CLIENTS, 'max clients', 1) ?? fromFile('maxClients') ?? d.maxClients,
    accessRequestsPerSecond: int(values['access-rate'] ?? env.STOWAGE_GATEWAY_ACCESS_RATE, 'the access rate', 0) ?? fromFile('accessRequestsPerSecond') ?? d.accessRequestsPerSecond,
    accessRequestBurst: int(values['access-burst'] ?? env.STOWAGE_GATEWAY_ACCESS_BURST, 'the access burst', 1) ?? fromFile('accessRequestBurst') ?? d.accessRequestBurst,
    accessUploads: int(values['access-uploads'] ?? env.STOWAGE_GATEWAY_ACCESS_UPLOADS, 'the uploads per access', 1) ?? fromFile('accessUploads') ?? d.accessUploads,
    accessDownloads: int(values['access-downloads'] ?? env.STOWAGE_GATEWAY_ACCESS_DOWNLOADS, 'the downloads per access', 1) ?? fromFile('accessDownloads') ?? d.accessDownloads,
    accessMemoryPercent: int(values['access-memory-percent'] ?? env.STOWAGE_GATEWAY_ACCESS_MEMORY_PERCENT, 'the memory share per access (percent)', 1) ?? fromFile('accessMemoryPercent') ?? d.accessMemoryPercent,
    logLevel: values['log-level'] ?? env.STOWAGE_LOG_LEVEL ?? fromFile('logLevel') ?? d.logLevel
  };
  if (!Number.isInteger(config.accessMemoryPercent) || config.accessMemoryPercent < 1 || config.accessMemoryPercent > 100) {
    throw new ConfigError(`the memory share per access is a percentage from 1 to 100, not ${String(config.accessMemoryPercent)}`);
  }
  if (!/^.+:\d+$/.test(config.listen)) throw new ConfigError(`--listen '${config.listen}' must be host:port`);
  if ((config.tlsCert === '') !== (config.tlsKey === '')) throw new ConfigError('TLS needs both --tls-cert and --tls-key');
  if (config.segmentSize > 1024 * 1024 * 1024) throw new ConfigError('the segment size is at most 1 GiB');
  return config;
}
