// The libp2p host every Stowage program runs: TCP, Noise, Yamux with stowageMuxer's windows, the
// connection limits a network needs; servers (nodes, satellites) add identify and ping.
import { noise } from '@chainsafe/libp2p-noise';
import { identify } from '@libp2p/identify';
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';
import { CONNECTION_LIMITS, stowageMuxer } from './muxer.js';

export interface HostOptions {
  /** The program's identity; a client may leave it out (a new key per run). */
  privateKey?: PrivateKey;
  listen?: string[];
  announce?: string[];
}

export async function createHost(options: HostOptions = {}): Promise<Libp2p> {
  const server = (options.listen?.length ?? 0) > 0;
  return createLibp2p({
    ...(options.privateKey ? { privateKey: options.privateKey } : {}),
    addresses: { listen: options.listen ?? [], announce: options.announce ?? [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [stowageMuxer()],
    connectionManager: { ...CONNECTION_LIMITS },
    ...(server ? { services: { identify: identify(), ping: ping() } } : {})
  });
}
