// `stowage bench erasure|merkle|pieces`: the repository's codec, Merkle and piece store benchmarks
// (src/bench/, what `npm run bench:*` runs) on the operator's own machine, from the installed
// package. Quick sizes unless --full; tables on stdout, or the result JSON with --json.
import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ERASURE_FULL,
  ERASURE_QUICK,
  MERKLE_FULL,
  MERKLE_QUICK,
  PIECES_FULL,
  PIECES_QUICK,
  erasureTables,
  merkleTables,
  piecesTables,
  resultJson,
  runErasureBench,
  runMerkleBench,
  runPiecesBench,
  type BenchLog
} from '../bench/index.js';
import { StowageError, readConfigFile } from '../common/index.js';
import { NODE_DEFAULTS } from '../node/index.js';

export const BENCH_USAGE = `usage: stowage bench erasure|merkle|pieces [options]

  erasure   Reed-Solomon encode/reconstruct MB/s: this machine's SIMD kernel against the reference
            engine (and @ronomon/reed-solomon where installed), and the worker pool at 1 and 2 threads
  merkle    Merkle roots MB/s against one-shot SHA-256, audit proofs per second
  pieces    the piece store's put/get MB/s and write amplification against plain files, on the disk
            of the node's data directory (in a scratch directory made there and removed after)

options:
  --full        the sizes of \`npm run bench:*\` and its saved results (erasure about 1.5 min,
                pieces writes about 2.6 GB); default: quick sizes, seconds, noisier
  --rounds N    erasure, merkle: timed rounds after the warm-up (quick 2 / 3, full 5 / 7)
  --slices N    pieces: interleaved turns of each method, dividing the piece counts (quick 4, full 16)
  --dir PATH    pieces: the directory measured (default: the node's data directory,
                [STOWAGE_NODE_DATA_DIR], else dataDir of [STOWAGE_NODE_CONFIG], else ${NODE_DEFAULTS.dataDir})
  --json        print the result as JSON on stdout instead of the tables (progress on stderr)
  --out FILE    also write the result JSON to FILE
  -h, --help    show this help`;

const NAMES = ['erasure', 'merkle', 'pieces'] as const;
type Name = (typeof NAMES)[number];

class UsageError extends StowageError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${text}'`);
  return n;
}

/** The data directory a node started here would use: STOWAGE_NODE_DATA_DIR, its config file's, or the default. */
export function nodeDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STOWAGE_NODE_DATA_DIR) return env.STOWAGE_NODE_DATA_DIR;
  const fromFile = readConfigFile(env.STOWAGE_NODE_CONFIG).dataDir;
  return typeof fromFile === 'string' && fromFile !== '' ? fromFile : NODE_DEFAULTS.dataDir;
}

/** Runs `fn` with a signal aborted by the first SIGINT or SIGTERM (a second one ends the process). */
async function stoppable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stderr.write('stowage: stopping, removing the scratch directory (once more: stop at once, leaving it)\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export async function benchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      full: { type: 'boolean' },
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      slices: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  });
  if (values.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`name a benchmark: stowage bench ${NAMES.join('|')} [options] (stowage bench --help)`);
  const [name, ...extra] = positionals;
  if (!(NAMES as readonly string[]).includes(name!)) throw new UsageError(`unknown benchmark '${name}': one of ${NAMES.join(', ')} (stowage bench --help)`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}' (stowage bench --help)`);
  if (values.full && values.quick) throw new UsageError('--full and --quick: one or the other');
  if (values.rounds !== undefined && name === 'pieces') throw new UsageError('--rounds is for erasure and merkle; pieces takes --slices');
  if ((values.slices !== undefined || values.dir !== undefined) && name !== 'pieces') throw new UsageError(`--${values.slices !== undefined ? 'slices' : 'dir'} is for pieces only`);
  const rounds = positiveInt(values.rounds, '--rounds');
  const slices = positiveInt(values.slices, '--slices');
  const full = values.full === true;
  if (values.out !== undefined) {
    // Before the run, not after it: a result measured for minutes is not lost to a typo.
    try {
      await access(dirname(resolve(values.out)), constants.W_OK);
    } catch {
      throw new UsageError(`--out ${values.out}: cannot write in ${dirname(resolve(values.out))}`);
    }
  }

  const pieceSizes = full ? PIECES_FULL : PIECES_QUICK;
  const badSlices = slices !== undefined && pieceSizes.profiles.find((p) => p.count % slices !== 0);
  if (badSlices) throw new UsageError(`--slices ${slices} does not divide the ${badSlices.count} pieces of ${badSlices.size / 1024} KiB of this run`);

  // Progress goes where it does not mix with the JSON.
  const log: BenchLog = values.json ? (line) => process.stderr.write(line + '\n') : (line) => console.log(line);
  const script = `npm run bench:${name}`;
  const cache = name === 'pieces' ? ', and plain writes gain more from the page cache' : '';
  log(full ? `full sizes (those of ${script} and its saved results)` : `quick sizes: a short run, noisier${cache}; --full for the sizes of ${script} and its saved results`);

  let result: unknown;
  let tables: string;
  switch (name as Name) {
    case 'erasure': {
      const r = await runErasureBench({ ...(full ? ERASURE_FULL : ERASURE_QUICK), ...(rounds ? { rounds } : {}), log });
      [result, tables] = [r, erasureTables(r)];
      break;
    }
    case 'merkle': {
      const r = await runMerkleBench({ ...(full ? MERKLE_FULL : MERKLE_QUICK), ...(rounds ? { rounds } : {}), log });
      [result, tables] = [r, merkleTables(r)];
      break;
    }
    case 'pieces': {
      const dir = values.dir ?? nodeDataDir();
      const r = await stoppable((signal) => runPiecesBench({ ...pieceSizes, ...(slices ? { slices } : {}), dir, log, signal }));
      [result, tables] = [r, piecesTables(r)];
      break;
    }
  }
  const json = resultJson(result);
  if (values.json) process.stdout.write(json);
  else console.log(tables);
  if (values.out !== undefined) {
    try {
      await writeFile(values.out, json);
    } catch (err) {
      throw new StowageError('CLI_FILE_UNWRITABLE', `cannot write ${values.out}: ${(err as Error).message}`);
    }
    if (!values.json) console.log(`\nresults written to ${values.out}`);
  }
  return 0;
}
