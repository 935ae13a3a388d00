// Dial-back DNS goes through c-ares with a timeout, never getaddrinfo on libuv's threadpool
// (which LevelDB and file I/O share): a DNS server that never answers costs its timeout and
// nothing else, and file reads meanwhile are not held up. localhost names are loopback.
import { createSocket, type Socket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveName } from '../../src/satellite/contact/dial.js';

let blackHole: Socket;
let queries = 0;

beforeAll(async () => {
  blackHole = createSocket('udp4');
  blackHole.on('message', () => queries++);
  await new Promise<void>((r) => blackHole.bind(0, '127.0.0.1', r));
});
afterAll(() => blackHole.close());

it('localhost names are loopback without asking DNS', async () => {
  expect(await resolveName('localhost', 0)).toEqual([
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 }
  ]);
  expect(await resolveName('Node-3.LOCALHOST.', 4)).toEqual([{ address: '127.0.0.1', family: 4 }]);
  expect(await resolveName('localhost', 6)).toEqual([{ address: '::1', family: 6 }]);
});

it('32 names whose DNS server never answers cost the resolver timeout, and file reads meanwhile are not held up', async () => {
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`127.0.0.1:${blackHole.address().port}`]);
  const started = Date.now();
  const pending = Promise.all(Array.from({ length: 32 }, (_, i) => resolveName(`node-${i}.example.net`, 0, resolver)));
  // getaddrinfo would hold libuv's 4 threads for as long; these reads would wait behind them.
  const readsStarted = Date.now();
  await Promise.all(Array.from({ length: 16 }, () => readFile(import.meta.filename)));
  const readsMs = Date.now() - readsStarted;
  const answers = await pending;
  const ms = Date.now() - started;
  console.log(`32 unanswered names: ${ms} ms (resolver timeout 500 ms), ${queries} queries seen; 16 file reads meanwhile ${readsMs} ms`);
  expect(answers.every((a) => a.length === 0)).toBe(true);
  expect(queries).toBeGreaterThanOrEqual(32);
  expect(readsMs).toBeLessThan(2000);
  expect(ms).toBeLessThan(5000);
});
