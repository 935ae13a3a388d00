// A satellite that goes away in the middle of a request (killed, restarted, its connection dropped)
// is, to the client, a satellite it cannot reach: SATELLITE_UNREACHABLE, which callers retry. A
// chaos run (seed 1680030502) had a read fail with a bare PROTOCOL_STREAM_CLOSED instead. A
// satellite that answers with bytes that do not decode is another matter: a protocol error.
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p, Stream } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccess, Stowage } from '../../src/client/index.js';
import { createHost, PROTOCOL_METAINFO } from '../../src/protocol/index.js';

type Behaviour = 'hang-up' | 'reset' | 'garbage';

describe('a satellite that does not answer', () => {
  let host: Libp2p;
  let behaviour: Behaviour = 'hang-up';
  let requests = 0;
  let access = '';

  beforeAll(async () => {
    const key = await generateKeyPair('Ed25519');
    host = await createHost({ privateKey: key, listen: ['/ip4/127.0.0.1/tcp/0'] });
    await host.handle(PROTOCOL_METAINFO, (stream: Stream) => {
      requests++;
      void (async () => {
        // Reads the start of the request, then leaves as the behaviour says.
        const reader = stream[Symbol.asyncIterator]();
        await reader.next();
        if (behaviour === 'reset') stream.abort(new Error('killed'));
        else if (behaviour === 'garbage') {
          stream.send(new Uint8Array([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
          await stream.close();
        } else await stream.close();
      })().catch(() => undefined);
    });
    const address = host.getMultiaddrs()[0]!.decapsulate('/p2p').toString();
    access = createAccess(`${peerIdFromPrivateKey(key).toString()}@${address}`, 'a'.repeat(64));
  });

  afterAll(async () => {
    await host?.stop();
  });

  for (const b of ['hang-up', 'reset'] as const) {
    it(`${b} before the answer: SATELLITE_UNREACHABLE`, async () => {
      behaviour = b;
      const before = requests;
      const client = await Stowage.connect(access);
      try {
        await expect(client.listBuckets()).rejects.toMatchObject({ code: 'SATELLITE_UNREACHABLE' });
        await expect(client.stat('bucket', 'key')).rejects.toMatchObject({ code: 'SATELLITE_UNREACHABLE' });
      } finally {
        await client.close();
      }
      // The requests did reach it: this is a satellite that went away, not one never reached.
      expect(requests - before).toBe(2);
    });
  }

  it('an answer that does not decode is a protocol error, not unreachability', async () => {
    behaviour = 'garbage';
    const client = await Stowage.connect(access);
    try {
      const err = (await client.listBuckets().then(
        () => undefined,
        (e: unknown) => e
      )) as { code?: string };
      expect(err?.code).toMatch(/^PROTOCOL_/);
      expect(err?.code).not.toBe('PROTOCOL_STREAM_CLOSED');
    } finally {
      await client.close();
    }
  });
});
