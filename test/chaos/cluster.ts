// The chaos run's processes: a satellite and storage nodes, each `stowage ... run` from dist/ with
// its own JSON config, logs in DIR/logs. Kills, stalls and restarts are real signals; a process
// that exits when nobody signalled it is recorded as a crash. RSS is sampled from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_V8_FLAGS } from '../../src/node/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
/** The node that lies only to clients (test/chaos/liar.ts), run from source through tsx. */
export const LIAR_ENTRY = ['--import', 'tsx', join(ROOT, 'test', 'chaos', 'liar.ts')];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Set before a signal the run sends, so the exit is not taken for a crash. */
  expectExit: boolean;
  stopped: boolean;
  peakRss: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export interface Crash {
  name: string;
  code: number | null;
  signal: string | null;
  at: number;
}

export class Cluster {
  readonly procs = new Map<string, Proc>();
  readonly crashes: Crash[] = [];
  readonly peakRss = new Map<string, number>();
  private sampler: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly started: number
  ) {
    mkdirSync(join(dir, 'logs'), { recursive: true });
  }

  /**
   * Starts `stowage ARGS` as NAME; `env` adds to this process's environment (a fake clock, say);
   * `entry` replaces `dist/cli/main.js` (node arguments and a script: the lying node, say).
   */
  start(name: string, args: string[], env: Record<string, string> = {}, entry: string[] = [CLI]): Proc {
    // Storage nodes run as the devnet and the Docker image start them (NODE_V8_FLAGS).
    const v8Flags = args[0] === 'node' ? NODE_V8_FLAGS : [];
    const child = spawn(process.execPath, [...v8Flags, ...entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, cwd: ROOT });
    const log = createWriteStream(join(this.dir, 'logs', `${name}.log`), { flags: 'a' });
    const seen: Record<string, unknown>[] = [];
    const waiters: { msg: string; resolve: (l: Record<string, unknown>) => void }[] = [];
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      log.write(d);
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const text of lines) {
        if (!text.startsWith('{')) continue;
        try {
          const line = JSON.parse(text) as Record<string, unknown>;
          if (line.msg === 'storage node started' || line.msg === 'satellite started' || line.msg === 'checked in') {
            seen.push(line);
            for (const w of waiters.filter((x) => x.msg === line.msg)) w.resolve(line);
          }
        } catch {
          // not a log line
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => log.write(d));
    const proc: Proc = {
      name,
      child,
      expectExit: false,
      stopped: false,
      peakRss: 0,
      exited: new Promise((resolve) =>
        child.on('exit', (code, signal) => {
          log.end();
          if (!proc.expectExit) this.crashes.push({ name, code, signal, at: Date.now() - this.started });
          resolve({ code, signal });
        })
      ),
      waitFor: (msg, timeoutMs = 30_000) =>
        new Promise((resolve, reject) => {
          const hit = seen.find((l) => l.msg === msg);
          if (hit) return resolve(hit);
          waiters.push({ msg, resolve });
          const timer = setTimeout(() => reject(new Error(`${name} did not log '${msg}' within ${timeoutMs} ms (${join(this.dir, 'logs', `${name}.log`)})`)), timeoutMs);
          timer.unref();
          void proc.exited.then(() => reject(new Error(`${name} exited before logging '${msg}'`)));
        })
    };
    this.procs.set(name, proc);
    return proc;
  }

  /** SIGKILL (or another signal) that the run means to send; resolves when the process is gone. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.procs.get(name);
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.expectExit = true;
    if (p.stopped) p.child.kill('SIGCONT');
    p.child.kill(signal);
    await p.exited;
  }

  stall(name: string): void {
    const p = this.procs.get(name)!;
    p.stopped = true;
    p.child.kill('SIGSTOP');
  }

  resume(name: string): void {
    const p = this.procs.get(name)!;
    if (!p.stopped) return;
    p.stopped = false;
    p.child.kill('SIGCONT');
  }

  alive(name: string): boolean {
    const p = this.procs.get(name);
    return !!p && p.child.exitCode === null && p.child.signalCode === null;
  }

  /** Samples every process's resident memory every `ms`. */
  sampleMemory(ms = 1000): void {
    this.sampler = setInterval(() => {
      for (const p of this.procs.values()) {
        if (!this.alive(p.name)) continue;
        try {
          const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'));
          if (m) {
            const rss = Number(m[1]) * 1024;
            // Kept per role name (a restarted node keeps its peak across lives).
            this.peakRss.set(p.name, Math.max(this.peakRss.get(p.name) ?? 0, rss));
          }
        } catch {
          // exited between the check and the read
        }
      }
    }, ms);
    this.sampler.unref();
  }

  async stopAll(): Promise<void> {
    clearInterval(this.sampler);
    await Promise.all([...this.procs.keys()].map((n) => this.kill(n, 'SIGTERM')));
  }

  writeConfig(name: string, config: Record<string, unknown>): string {
    const path = join(this.dir, 'config', `${name}.json`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(config, null, 2));
    return path;
  }

  removeData(path: string): void {
    rmSync(path, { recursive: true, force: true });
  }
}
