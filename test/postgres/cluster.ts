// A throwaway PostgreSQL cluster for the tests and benchmarks: Debian's binaries, a temporary
// directory, a free port on loopback, run as an unprivileged user (initdb refuses root).
// scripts/test-postgres.sh installs Debian's postgresql first when it is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  /** postgres://stowage@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dir: string;
  /** A URL for database `name` of this cluster. */
  urlOf(name: string): string;
  stop(): void;
}

/** The newest /usr/lib/postgresql/N/bin holding initdb. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `npm run test:postgres`, which installs Debian\'s postgresql');
  return join(root, versions[0]!, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** As root, the commands run as this user (Debian's package creates `postgres`). */
function runAs(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status === 0) {
      const uid = Number(r.stdout.trim());
      const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
      return { uid, gid, name };
    }
  }
  throw new Error('no unprivileged user (postgres or nobody) to run PostgreSQL as');
}

function run(bin: string, args: string[], user: ReturnType<typeof runAs>): void {
  const [cmd, argv] = user ? ['runuser', ['-u', user.name, '--', bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
}

export interface ClusterOptions {
  /** fsync and synchronous commit off: for tests, whose data does not outlive them. Default false. */
  fast?: boolean;
  maxConnections?: number;
}

/** Creates and starts a cluster; stop() stops it and removes its directory. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const bin = postgresBin();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'stowage-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-U', 'stowage', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'], user);
  const port = await freePort();
  const settings = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", `-c max_connections=${options.maxConnections ?? 200}`];
  if (options.fast) settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  run(join(bin, 'pg_ctl'), ['-D', data, '-o', settings.join(' '), '-l', join(dir, 'log'), '-w', 'start'], user);
  const urlOf = (name: string) => `postgres://stowage@127.0.0.1:${port}/${name}`;
  return {
    url: urlOf('postgres'),
    port,
    dir,
    urlOf,
    stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], user);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
}
