// One libp2p ping (32 random bytes echoed) over a given connection: the dial-back and uptime
// checks must test the connection they opened, not any connection the host happens to have.
import { randomBytes } from 'node:crypto';
import type { Connection } from '@libp2p/interface';
import { Uint8ArrayList } from 'uint8arraylist';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { PROTOCOL_PING } from './ids.js';

export async function pingOver(connection: Connection, signal?: AbortSignal): Promise<number> {
  const started = performance.now();
  const stream = await connection.newStream(PROTOCOL_PING, { signal });
  try {
    const probe = new Uint8Array(randomBytes(32));
    const echo = new Uint8ArrayList();
    const done = new Promise<void>((resolve, reject) => {
      stream.addEventListener('message', (evt) => {
        echo.append(evt.data);
        if (echo.byteLength >= 32) resolve();
      });
      stream.addEventListener('close', () => reject(new ProtocolError(ProtocolErrorCode.Closed, 'ping stream closed before the echo')));
      signal?.addEventListener('abort', () => reject(new ProtocolError(ProtocolErrorCode.Timeout, 'ping timed out')), { once: true });
    });
    // Rejections that come after a failed send (a close, the abort) must not go unhandled: they
    // crashed the satellite when a node was killed mid-ping (found by the chaos run).
    done.catch(() => undefined);
    stream.send(probe);
    await done;
    if (Buffer.compare(echo.subarray(0, 32), probe) !== 0) throw new ProtocolError(ProtocolErrorCode.Malformed, 'ping echo differs');
    return performance.now() - started;
  } finally {
    await stream.close().catch(() => undefined);
  }
}
