#!/usr/bin/env node
// The `stowage` command. Subcommands land with the issues that build their programs: `node run`
// and `satellite run` / `satellite api-key create` now; put, get, devnet and the rest later.
import '../shims/promise-with-resolvers.js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StowageError } from '../common/index.js';
import { erasureEngineInfo } from '../erasure/index.js';
import { nodeCommand } from './node.js';
import { satelliteCommand } from './satellite.js';
import { devnetCommand } from './devnet.js';
import { objectCommand } from './objects.js';
import { gatewayCommand } from './gateway.js';
import { benchCommand } from './bench.js';

const USAGE = `usage: stowage <command> [options]

commands:
  node run    run a storage node (stowage node run --help)
  satellite   run a satellite, create API keys (stowage satellite --help)
  devnet up   a satellite, storage nodes and an S3 gateway on loopback (--dir, --nodes)
  gateway     run the S3 gateway, register an access with it (stowage gateway --help)
  mb, rb      make or remove a bucket: stowage mb stow://bucket
  put, get    stowage put FILE|- stow://bucket/key, stowage get stow://bucket/key FILE|-
  ls, rm      stowage ls [stow://bucket[/prefix]], stowage rm stow://bucket/key
  access      stowage access create --satellite ID@ADDR --api-key KEY | inspect [ACCESS]
  info        print the version and the erasure engine this machine uses
  bench       measure this machine: stowage bench erasure|merkle|pieces (stowage bench --help)

options:
  --access ACCESS  for mb, rb, put, get, ls, rm (else STOWAGE_ACCESS, else the devnet's devnet.json)
  --json           machine-readable output
  -h, --help       show this help
  -v, --version    print the version

exit codes: 0 done, 1 the operation failed (the message says why), 2 bad usage or configuration`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

class UsageError extends StowageError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'node') return nodeCommand(argv.slice(1));
  if (argv[0] === 'satellite') return satelliteCommand(argv.slice(1));
  if (argv[0] === 'devnet') return devnetCommand(argv.slice(1));
  if (argv[0] === 'gateway') return gatewayCommand(argv.slice(1));
  if (argv[0] === 'bench') return benchCommand(argv.slice(1));
  if (argv[0] && ['mb', 'rb', 'put', 'get', 'ls', 'rm', 'access'].includes(argv[0])) return objectCommand(argv[0], argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } }
  });
  if (values.version) {
    console.log(version());
    return 0;
  }
  const [command] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'info') {
    console.log(JSON.stringify({ version: version(), erasure: erasureEngineInfo() }, null, 2));
    return 0;
  }
  throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Messages, not stack traces: the code tells scripts what failed.
  const code = err instanceof StowageError ? err.code : ((err as { code?: string }).code ?? 'ERROR');
  console.error(`stowage: ${(err as Error).message}`);
  process.exitCode = code === 'CLI_USAGE' || code === 'CONFIG_INVALID' || code.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}
