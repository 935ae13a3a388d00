// The gateway against the outside S3 programs people use, from Debian's packages (awscli, s3cmd,
// rclone; CI installs them): files in, files out, byte for byte, over a real satellite and nodes.
// A tree with an empty file, names with spaces and non-ASCII characters, a file of several
// segments and one of ~12 MiB, which awscli and rclone send as a multipart upload (5 MiB parts)
// and s3cmd as one PUT. Each program runs as a child process with its own HOME and config files
// under a temporary directory, and none of the machine's AWS_* or RCLONE_* variables.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../node/fixtures/dirs.js';
import { startGatewayNetwork, type GatewayNetwork } from './fixtures/network.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
/** Parts of 5 MiB: awscli's "5MB", rclone's "5M" and the gateway's smallest part are all 5 MiB. */
const PART = 5 * MiB;
/** A single command's limit: the largest moves 12 MiB each way through the network. */
const COMMAND_TIMEOUT_MS = 150_000;
const TEST_TIMEOUT_MS = 300_000;

/** The programs and the Debian packages they come in. */
const PROGRAMS = { aws: 'awscli', s3cmd: 's3cmd', rclone: 'rclone' } as const;
type Program = keyof typeof PROGRAMS;

/** Debian's program (/usr/bin) when it is there, else the first on PATH; undefined when there is none. */
function locate(name: Program): string | undefined {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== '')];
  for (const d of dirs) {
    try {
      accessSync(join(d, name), constants.X_OK);
      return join(d, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

function program(name: Program): string {
  const path = locate(name);
  if (path === undefined) {
    throw new Error(`${name} is not installed (Debian package ${PROGRAMS[name]}): this test drives the real program, install it with apt-get install -y ${Object.values(PROGRAMS).join(' ')}`);
  }
  return path;
}

/** The files every program moves: relative path (with '/') to content. */
const TREE: Record<string, Buffer> = {
  'a.txt': Buffer.from('a small text file\n'),
  'empty.txt': Buffer.alloc(0),
  'sub dir/naïve résumé ü.txt': Buffer.from('spaces and non-ASCII in the name: naïve résumé\n'),
  'sub dir/deeper/データ 1.bin': randomBytes(300_000),
  'big.bin': randomBytes(12 * MiB + 12_345)
};
const BIG = 'big.bin';
const NAMED = 'sub dir/naïve résumé ü.txt';

let net: GatewayNetwork;
let s3: S3Client;
let work: string;
let tree: string;
let baseEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  net = await startGatewayNetwork({ gateway: { minPartSize: PART } });
  s3 = net.s3();
  work = tempDir('stowage-outside-');
  tree = join(work, 'tree');
  for (const [path, bytes] of Object.entries(TREE)) writeFileAt(join(tree, ...path.split('/')), bytes);
  // The machine's own AWS_*/RCLONE_*/S3CMD_* settings (a CA bundle, a profile) stay out.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|RCLONE_|S3CMD_)/i.test(k)));
  baseEnv = {
    ...inherited,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: net.accessKeyId,
    AWS_SECRET_ACCESS_KEY: net.secretKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: ''
  };
}, 60_000);

afterAll(async () => {
  await net?.stop();
});

function writeFileAt(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Every file under `dir`: its path relative to `dir` (with '/') to its SHA-256. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full).split(sep).join('/')] = sha256(readFileSync(full));
  }
  return out;
}

const expectedHashes = (): Record<string, string> => Object.fromEntries(Object.entries(TREE).map(([p, b]) => [p, sha256(b)]));
const expectedSizes = (prefix: string): Record<string, number> => Object.fromEntries(Object.entries(TREE).map(([p, b]) => [prefix + p, b.length]));

/** S3's ETag of `bytes` uploaded in parts of `part` bytes: MD5 of the parts' MD5s, then "-N". */
function multipartEtag(bytes: Buffer, part: number): string {
  const md5s: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += part) md5s.push(createHash('md5').update(bytes.subarray(at, at + part)).digest());
  return `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${md5s.length}"`;
}

/** Keys and sizes under `prefix` as the gateway lists them (checked with the AWS SDK, apart from the program). */
async function stored(bucket: string, prefix = ''): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) out[o.Key!] = o.Size!;
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

async function etagOf(bucket: string, key: string): Promise<string> {
  return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag!;
}

/** Runs a program; a failure names the command, its exit and what it printed. */
async function exec(name: Program, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  const file = program(name);
  try {
    return await run(file, args, { env, cwd: work, timeout: COMMAND_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * MiB, encoding: 'utf8' });
  } catch (err) {
    const e = err as { code?: number | string; signal?: string | null; killed?: boolean; stdout?: string; stderr?: string };
    const tail = (s: string | undefined): string => (s ?? '').slice(-4000);
    throw new Error(
      `${name} ${args.join(' ')} failed (exit ${String(e.code)}${e.signal ? `, signal ${e.signal}` : ''}${e.killed ? `, killed after ${COMMAND_TIMEOUT_MS} ms` : ''})\n--- stdout\n${tail(e.stdout)}\n--- stderr\n${tail(e.stderr)}`
    );
  }
}

it('finds awscli, s3cmd and rclone installed', () => {
  const missing = (Object.keys(PROGRAMS) as Program[]).filter((p) => locate(p) === undefined);
  expect(missing, `missing programs: ${missing.map((p) => `${p} (Debian package ${PROGRAMS[p]})`).join(', ')}; apt-get install -y awscli s3cmd rclone`).toEqual([]);
});

describe('awscli', () => {
  const bucket = 'awscli';
  let env: NodeJS.ProcessEnv;
  const aws = async (...args: string[]): Promise<string> => (await exec('aws', ['--endpoint-url', net.gateway.endpoint, ...args], env)).stdout;

  beforeAll(async () => {
    const home = join(work, 'aws-home');
    mkdirSync(home, { recursive: true });
    env = { ...baseEnv, HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') };
    if (locate('aws') === undefined) return;
    // Multipart above 5 MiB, in parts of 5 MiB.
    await exec('aws', ['configure', 'set', 'default.s3.multipart_threshold', '5MB'], env);
    await exec('aws', ['configure', 'set', 'default.s3.multipart_chunksize', '5MB'], env);
    expect(readFileSync(env.AWS_CONFIG_FILE!, 'utf8')).toMatch(/multipart_threshold = 5MB[\s\S]*multipart_chunksize = 5MB/);
  }, 60_000);

  it(
    'cp up and down: a 12 MiB file as a multipart upload, an empty file, a name with a space and non-ASCII',
    async () => {
      await aws('s3', 'mb', `s3://${bucket}`);
      const down = join(work, 'aws-cp');
      for (const path of [BIG, 'empty.txt', NAMED]) {
        const key = `single/${path}`;
        await aws('s3', 'cp', '--no-progress', join(tree, ...path.split('/')), `s3://${bucket}/${key}`);
        await aws('s3', 'cp', '--no-progress', `s3://${bucket}/${key}`, join(down, ...path.split('/')));
      }
      const got = hashes(down);
      expect(got).toEqual({ [BIG]: sha256(TREE[BIG]!), 'empty.txt': sha256(Buffer.alloc(0)), [NAMED]: sha256(TREE[NAMED]!) });
      // Three parts of 5 MiB: the ETag says awscli did a multipart upload, and which parts it sent.
      expect(await etagOf(bucket, `single/${BIG}`)).toBe(multipartEtag(TREE[BIG]!, PART));
      const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', bucket, '--key', `single/${NAMED}`)) as { ContentLength: number; ETag: string };
      expect(head.ContentLength).toBe(TREE[NAMED]!.length);
      expect(head.ETag).toBe(`"${createHash('md5').update(TREE[NAMED]!).digest('hex')}"`);
    },
    TEST_TIMEOUT_MS
  );

  it(
    'sync a tree up and back down byte for byte; a second sync sends nothing; ls --recursive lists every key',
    async () => {
      await aws('s3', 'sync', '--no-progress', tree, `s3://${bucket}/tree/`);
      expect(await stored(bucket, 'tree/')).toEqual(expectedSizes('tree/'));
      expect((await aws('s3', 'sync', '--no-progress', tree, `s3://${bucket}/tree/`)).trim()).toBe('');

      const listed: Record<string, number> = {};
      for (const line of (await aws('s3', 'ls', '--recursive', `s3://${bucket}/`)).split('\n')) {
        const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(\d+) (.+)$/.exec(line);
        if (m) listed[m[2]!] = Number(m[1]);
      }
      expect(listed).toEqual({
        ...expectedSizes('tree/'),
        [`single/${BIG}`]: TREE[BIG]!.length,
        'single/empty.txt': 0,
        [`single/${NAMED}`]: TREE[NAMED]!.length
      });

      const down = join(work, 'aws-sync');
      await aws('s3', 'sync', '--no-progress', `s3://${bucket}/tree/`, down);
      expect(hashes(down)).toEqual(expectedHashes());
    },
    TEST_TIMEOUT_MS
  );

  it(
    'rm --recursive deletes a prefix, then everything; the empty bucket goes',
    async () => {
      const removed = await aws('s3', 'rm', '--recursive', `s3://${bucket}/tree/`);
      for (const path of Object.keys(TREE)) expect(removed).toContain(`delete: s3://${bucket}/tree/${path}`);
      expect(await stored(bucket)).toEqual({ [`single/${BIG}`]: TREE[BIG]!.length, 'single/empty.txt': 0, [`single/${NAMED}`]: TREE[NAMED]!.length });
      await aws('s3', 'rm', '--recursive', `s3://${bucket}/`);
      expect(await stored(bucket)).toEqual({});
      expect((await aws('s3', 'ls', '--recursive', `s3://${bucket}/`)).trim()).toBe('');
      await aws('s3', 'rb', `s3://${bucket}`);
      expect(await aws('s3', 'ls')).not.toMatch(new RegExp(`\\s${bucket}$`, 'm'));
    },
    TEST_TIMEOUT_MS
  );
});

describe('s3cmd', () => {
  const bucket = 's3cmd';
  let env: NodeJS.ProcessEnv;
  let config: string;
  const s3cmd = async (...args: string[]): Promise<string> => (await exec('s3cmd', ['-c', config, '--no-progress', ...args], env)).stdout;

  /** `s3cmd ls -r` as key to size. */
  async function listed(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const line of (await s3cmd('ls', '-r', `s3://${bucket}`)).split('\n')) {
      const m = new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +(\\d+) +s3://${bucket}/(.+)$`).exec(line);
      if (m) out[m[2]!] = Number(m[1]);
    }
    return out;
  }

  beforeAll(() => {
    const home = join(work, 's3cmd-home');
    mkdirSync(home, { recursive: true });
    env = { ...baseEnv, HOME: home };
    const hostPort = new URL(net.gateway.endpoint).host;
    config = join(home, 's3cfg');
    writeFileSync(
      config,
      [
        '[default]',
        `access_key = ${net.accessKeyId}`,
        `secret_key = ${net.secretKey}`,
        `host_base = ${hostPort}`,
        `host_bucket = ${hostPort}`,
        'bucket_location = us-east-1',
        'use_https = False',
        'signature_v2 = False',
        ''
      ].join('\n')
    );
  });

  it(
    'put and get files (12 MiB in one PUT, empty, a name with a space and non-ASCII); ls lists them',
    async () => {
      await s3cmd('mb', `s3://${bucket}`);
      for (const path of [BIG, 'empty.txt', NAMED]) await s3cmd('put', join(tree, ...path.split('/')), `s3://${bucket}/put/${path}`);
      expect(await listed()).toEqual({ [`put/${BIG}`]: TREE[BIG]!.length, 'put/empty.txt': 0, [`put/${NAMED}`]: TREE[NAMED]!.length });
      // s3cmd's parts are 15 MiB: 12 MiB goes in one PUT, its ETag the MD5.
      expect(await etagOf(bucket, `put/${BIG}`)).toBe(`"${createHash('md5').update(TREE[BIG]!).digest('hex')}"`);
      const down = join(work, 's3cmd-get');
      for (const path of [BIG, 'empty.txt', NAMED]) {
        const to = join(down, ...path.split('/'));
        mkdirSync(dirname(to), { recursive: true });
        await s3cmd('get', `s3://${bucket}/put/${path}`, to);
      }
      expect(hashes(down)).toEqual({ [BIG]: sha256(TREE[BIG]!), 'empty.txt': sha256(Buffer.alloc(0)), [NAMED]: sha256(TREE[NAMED]!) });
    },
    TEST_TIMEOUT_MS
  );

  it(
    'sync a tree up and back down byte for byte; a second sync sends nothing',
    async () => {
      await s3cmd('sync', `${tree}/`, `s3://${bucket}/tree/`);
      expect(await stored(bucket, 'tree/')).toEqual(expectedSizes('tree/'));
      expect(await s3cmd('sync', `${tree}/`, `s3://${bucket}/tree/`)).not.toMatch(/upload:/);
      const down = join(work, 's3cmd-sync');
      mkdirSync(down, { recursive: true });
      await s3cmd('sync', `s3://${bucket}/tree/`, `${down}/`);
      expect(hashes(down)).toEqual(expectedHashes());
    },
    TEST_TIMEOUT_MS
  );

  it(
    'del one file, then del --recursive the rest; the empty bucket goes',
    async () => {
      await s3cmd('del', `s3://${bucket}/put/${NAMED}`);
      const left = await listed();
      expect(left).not.toHaveProperty([`put/${NAMED}`]);
      expect(left).toEqual({ ...expectedSizes('tree/'), [`put/${BIG}`]: TREE[BIG]!.length, 'put/empty.txt': 0 });
      await s3cmd('del', '--recursive', '--force', `s3://${bucket}/`);
      expect(await listed()).toEqual({});
      expect(await stored(bucket)).toEqual({});
      await s3cmd('rb', `s3://${bucket}`);
      expect(await s3cmd('ls')).not.toContain(`s3://${bucket}`);
    },
    TEST_TIMEOUT_MS
  );
});

describe('rclone', () => {
  const bucket = 'rclone';
  let env: NodeJS.ProcessEnv;
  // Multipart above 5 MiB in parts of 5 MiB; a failure is reported, not retried.
  const rclone = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    exec('rclone', ['--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M', '--retries', '1', '--low-level-retries', '1', ...args], env);

  /** `rclone check`: every file matched, by size and MD5 (none left unchecked for want of a hash). */
  async function check(from: string, to: string): Promise<void> {
    const { stderr } = await rclone('check', from, to);
    expect(stderr).toContain('0 differences found');
    expect(stderr).toContain(`${Object.keys(TREE).length} matching files`);
    expect(stderr).not.toMatch(/hashes could not be checked/);
  }

  beforeAll(() => {
    const home = join(work, 'rclone-home');
    mkdirSync(home, { recursive: true });
    const config = join(home, 'rclone.conf');
    writeFileSync(config, '');
    env = {
      ...baseEnv,
      HOME: home,
      XDG_CONFIG_HOME: home,
      XDG_CACHE_HOME: join(home, 'cache'),
      RCLONE_CONFIG: config,
      // The remote "stow", from the environment alone.
      RCLONE_CONFIG_STOW_TYPE: 's3',
      RCLONE_CONFIG_STOW_PROVIDER: 'Other',
      RCLONE_CONFIG_STOW_ENV_AUTH: 'false',
      RCLONE_CONFIG_STOW_ACCESS_KEY_ID: net.accessKeyId,
      RCLONE_CONFIG_STOW_SECRET_ACCESS_KEY: net.secretKey,
      RCLONE_CONFIG_STOW_REGION: 'us-east-1',
      RCLONE_CONFIG_STOW_ENDPOINT: net.gateway.endpoint,
      RCLONE_CONFIG_STOW_FORCE_PATH_STYLE: 'true'
    };
  });

  it(
    'copy a tree up (12 MiB as a multipart upload), check it, list it',
    async () => {
      await rclone('mkdir', `stow:${bucket}`);
      await rclone('copy', tree, `stow:${bucket}/tree`);
      expect(await stored(bucket)).toEqual(expectedSizes('tree/'));
      expect(await etagOf(bucket, `tree/${BIG}`)).toBe(multipartEtag(TREE[BIG]!, PART));
      await check(tree, `stow:${bucket}/tree`);
      const listed: Record<string, number> = {};
      for (const line of (await rclone('lsf', '-R', '--files-only', '--format', 'ps', '--separator', '\t', `stow:${bucket}/tree`)).stdout.split('\n')) {
        const [path, size] = line.split('\t');
        if (path && size) listed[path] = Number(size);
      }
      expect(listed).toEqual(expectedSizes(''));
    },
    TEST_TIMEOUT_MS
  );

  it(
    'copy the tree back down byte for byte and check it',
    async () => {
      const down = join(work, 'rclone-down');
      await rclone('copy', `stow:${bucket}/tree`, down);
      expect(hashes(down)).toEqual(expectedHashes());
      await check(`stow:${bucket}/tree`, down);
      await rclone('purge', `stow:${bucket}`);
      await expect(stored(bucket)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    },
    TEST_TIMEOUT_MS
  );
});
