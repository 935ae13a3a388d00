// Hostile peers of the satellite's registry, each a real libp2p host on loopback: fresh peer ids
// that check in with whatever addresses they like, and "nodes" that are only a host answering
// ping (enough to pass a dial-back, nothing else).
import '../../src/shims/promise-with-resolvers.js';
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { CheckInRequest, CheckInResponse, createHost, FramedStream, PROTOCOL_CONTACT } from '../../src/protocol/index.js';
import type { Satellite } from '../../src/satellite/index.js';

/** A host that can dial (a fresh peer id unless `privateKey`), listening only when `listen` is given (then it answers ping). */
export async function peer(options: { listen?: string[]; privateKey?: PrivateKey } = {}): Promise<Libp2p> {
  return createHost(options);
}

/** The host's own TCP address without /p2p (listen on 127.0.x.y to be reached there). */
export function addressOf(host: Libp2p): string {
  return host.getMultiaddrs()[0]!.decapsulateCode(421).toString();
}

/** One check-in from `host` announcing `addresses` (to the satellite's first address, or `via`); the satellite's answer. */
export async function checkInAs(host: Libp2p, satellite: Satellite, addresses: string[], via = satellite.multiaddrs()[0]!): Promise<CheckInResponse> {
  const stream = await host.dialProtocol(multiaddr(via), PROTOCOL_CONTACT, { signal: AbortSignal.timeout(30_000) });
  const framed = new FramedStream(stream, { idleTimeoutMs: 30_000 });
  try {
    await framed.write(CheckInRequest, { addresses, capacity: 10n ** 12n, freeSpace: 10n ** 12n, version: '0.1.0', wallet: '0xabc', email: 'sybil@example.com' });
    return await framed.expect(CheckInResponse, 'check-in answer');
  } finally {
    await framed.closeWrite().catch(() => undefined);
  }
}

/** Runs `task(i)` for i in [0, count), `concurrency` at a time. */
export async function inBatches<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** How many records the registry holds. */
export async function registrySize(satellite: Satellite): Promise<number> {
  let n = 0;
  for await (const _ of satellite.registry.list()) n++;
  return n;
}
