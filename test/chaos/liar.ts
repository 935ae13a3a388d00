// A storage node that lies only to clients, for the chaos run (issue 18) and
// test/adversarial/client-liar.test.ts. It is a real StorageNode, started from the same config as
// `stowage node run`, and honest with its satellite: uploads are stored as the real handler stores
// them, audits are the real handler's (their own protocol), and downloads with a REPAIR_GET order
// (the repairer) get the true bytes. Downloads with a GET order (clients) run the real download
// handler too (order checked, serial burned, forged or foreign orders refused, same size), but
// one byte in every 64 KiB of what it sends is flipped, so the client's check against the
// uploader's root fails. Audits cannot see this; only the clients that meet it can.
//
// As a program, in place of `stowage node run --config FILE` (same arguments, `node run` optional):
//
//   node --import tsx test/chaos/liar.ts node run --config FILE
//
// Run from the repository root (it runs src/ through tsx, not dist/). It logs what the CLI logs
// (JSON lines: 'storage node started' with nodeId and dashboard, 'checked in', 'storage node
// stopped'), then 'client liar armed', and one info line per lie:
//
//   {"level":30,...,"component":"node","pieceId":"<hex>","bytes":N,"flipped":F,"lies":L,"msg":"lied to a client"}
//
// SIGTERM or SIGINT stops it as they stop the CLI (exit 0); a bad configuration exits 2.
import '../../src/shims/promise-with-resolvers.js';
import type { AbortOptions, Stream } from '@libp2p/interface';
import { pathToFileURL } from 'node:url';
import { StowageError } from '../../src/common/index.js';
import { handleDownload, loadNodeConfig, StorageNode } from '../../src/node/index.js';
import { DownloadRequest, DownloadResponse, FramedStream, OrderLimit, PieceAction, PROTOCOL_DOWNLOAD, type MessageCodec } from '../../src/protocol/index.js';
import { untilStopSignal } from '../../src/cli/signals.js';

/** One byte flipped in every this many sent, the first one included. */
export const FLIP_EVERY = 64 * 1024;

/** A copy of `chunk` whose bytes at response positions 0, FLIP_EVERY, ... are inverted. */
export function flipped(chunk: Uint8Array, position: number): { bytes: Uint8Array; count: number } {
  const bytes = chunk.slice();
  let count = 0;
  for (let i = (FLIP_EVERY - (position % FLIP_EVERY)) % FLIP_EVERY; i < bytes.length; i += FLIP_EVERY) {
    bytes[i]! ^= 0xff;
    count++;
  }
  return { bytes, count };
}

/**
 * The real handler's stream, watched: the first DownloadRequest it reads decides (by the action of
 * its order limit, as sent; the handler then verifies it) whether the chunks it writes are spoiled.
 */
class LyingStream extends FramedStream {
  private decided = false;
  /** A GET: the chunks written are spoiled. */
  lying = false;
  pieceId = '';
  /** Chunk bytes written, and bytes flipped among them. */
  sent = 0;
  flips = 0;

  override async read<T>(codec: MessageCodec<T>, options?: AbortOptions): Promise<T | undefined> {
    const message = await super.read(codec, options);
    if (!this.decided && message !== undefined && (codec as unknown) === DownloadRequest) {
      this.decided = true;
      const order = (message as DownloadRequest).order;
      try {
        const limit = OrderLimit.decode(order!.limit);
        this.lying = limit.action === PieceAction.GET;
        this.pieceId = Buffer.from(limit.pieceId).toString('hex');
      } catch {
        // No order or a malformed one: the real handler refuses it.
      }
    }
    return message;
  }

  override async write<T>(codec: MessageCodec<T>, message: Partial<T>, options?: AbortOptions): Promise<void> {
    const chunk = (codec as unknown) === DownloadResponse ? (message as Partial<DownloadResponse>).chunk : undefined;
    if (!chunk || chunk.length === 0) return super.write(codec, message, options);
    // A copy: the store may hand out bytes it keeps (small pieces live in LevelDB values).
    const out = this.lying ? flipped(chunk, this.sent) : { bytes: chunk, count: 0 };
    await super.write(codec, { ...message, chunk: out.bytes }, options);
    this.sent += chunk.length;
    this.flips += out.count;
  }
}

export interface ClientLiar {
  /** GET downloads that were sent at least one flipped byte. */
  lies(): number;
  /** Downloads with any other order (REPAIR_GET) that were sent bytes, all of them true. */
  honest(): number;
}

/**
 * Swaps the node's download handler for the lying one (in place, no moment without a handler).
 * Streams are served with the node's own limits and idle timeout, and the node's stop() waits for
 * them as for its own handlers.
 */
export async function makeClientLiar(node: StorageNode): Promise<ClientLiar> {
  let lies = 0;
  let honest = 0;
  const { context, config } = node;
  // StorageNode keeps its handlers in flight in a private set that stop() awaits before closing
  // the piece store; these join it, so a lie in progress does not read a closed store.
  const inFlight = (node as unknown as { inFlight: Set<Promise<void>> }).inFlight;
  await node.libp2p.handle(
    PROTOCOL_DOWNLOAD,
    (stream: Stream) => {
      const framed = new LyingStream(stream, { idleTimeoutMs: config.idleTimeoutMs });
      const done = handleDownload(context, framed)
        .then(() => {
          if (framed.flips > 0) {
            lies++;
            context.log.info({ pieceId: framed.pieceId, bytes: framed.sent, flipped: framed.flips, lies }, 'lied to a client');
          } else if (framed.sent > 0) {
            honest++;
          }
        })
        .catch((err: unknown) => context.log.error({ err }, 'handler failed'));
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    },
    { maxInboundStreams: config.maxStreamsPerPeer, force: true }
  );
  return { lies: () => lies, honest: () => honest };
}

/** The program: `[node run] OPTIONS` as `stowage node run` takes them. */
async function main(argv: string[]): Promise<number> {
  const args = argv[0] === 'node' && argv[1] === 'run' ? argv.slice(2) : argv;
  const node = await StorageNode.start(loadNodeConfig(args));
  await makeClientLiar(node);
  node.context.log.info({ nodeId: node.peerId, flipEvery: FLIP_EVERY }, 'client liar armed');
  await untilStopSignal();
  await node.stop();
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    // As the CLI does: the message, and 2 for a bad configuration.
    const code = err instanceof StowageError ? err.code : ((err as { code?: string }).code ?? 'ERROR');
    console.error(`liar: ${(err as Error).message}`);
    process.exitCode = code === 'CONFIG_INVALID' || code.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
