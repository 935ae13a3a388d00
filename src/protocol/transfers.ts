// The requesting side of the node protocols, over a stream the caller opened (dialProtocol). The
// client library, the satellite's auditor and repairer use these; so do the tests.
import type { Stream } from '@libp2p/interface';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { FramedStream, type FramedStreamOptions } from './framing.js';
import {
  AuditRequest,
  AuditResponse,
  DeleteRequest,
  DeleteResponse,
  DownloadRequest,
  DownloadResponse,
  UploadRequest,
  UploadResponse,
  type SignedOrderLimit,
  type SignedPieceReceipt
} from './generated/node.js';
import { MAX_CHUNK_BYTES } from './ids.js';

function remoteError(err: { code: string; message: string } | undefined): void {
  if (err) throw new ProtocolError(err.code || ProtocolErrorCode.Internal, err.message || 'the node refused');
}

export async function uploadPiece(
  stream: Stream,
  order: SignedOrderLimit,
  size: number,
  data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: FramedStreamOptions
): Promise<SignedPieceReceipt> {
  const framed = new FramedStream(stream, options);
  // The answer is read while sending: a node that refuses mid-way answers early, then resets.
  let answered = false;
  const answer = framed.expect(UploadResponse, 'receipt').finally(() => (answered = true));
  answer.catch(() => undefined);
  try {
    try {
      await framed.write(UploadRequest, { order, size: BigInt(size) });
      send: for await (const chunk of data) {
        for (let off = 0; off < chunk.length; off += MAX_CHUNK_BYTES) {
          if (answered) break send;
          await framed.write(UploadRequest, { chunk: chunk.subarray(off, off + MAX_CHUNK_BYTES) as Uint8Array<ArrayBuffer> });
        }
      }
      if (!answered) await framed.write(UploadRequest, { done: true });
    } catch (err) {
      // The write failed: the node's answer, if it sent one, says why.
      const early = await answer.catch(() => undefined);
      remoteError(early?.error);
      throw err;
    }
    const res = await answer;
    remoteError(res.error);
    if (!res.receipt) throw new ProtocolError(ProtocolErrorCode.Malformed, 'upload answer has neither receipt nor error');
    return res.receipt;
  } finally {
    await framed.closeWrite();
  }
}

/** Streams [offset, offset + length) of a piece; length 0 means to its end. */
export async function* downloadPiece(
  stream: Stream,
  order: SignedOrderLimit,
  range: { offset?: number; length?: number } = {},
  options?: FramedStreamOptions
): AsyncGenerator<Uint8Array> {
  const framed = new FramedStream(stream, options);
  try {
    await framed.write(DownloadRequest, { order, offset: BigInt(range.offset ?? 0), length: BigInt(range.length ?? 0) });
    const head = await framed.expect(DownloadResponse, 'piece size');
    remoteError(head.error);
    for (;;) {
      const msg = await framed.read(DownloadResponse);
      if (!msg) return;
      remoteError(msg.error);
      if (msg.chunk.length > 0) yield msg.chunk;
    }
  } finally {
    await framed.closeWrite();
  }
}

export async function deletePiece(stream: Stream, order: SignedOrderLimit, options?: FramedStreamOptions): Promise<void> {
  const framed = new FramedStream(stream, options);
  try {
    await framed.write(DeleteRequest, { order });
    remoteError((await framed.expect(DeleteResponse, 'answer')).error);
  } finally {
    await framed.closeWrite();
  }
}

export interface AuditAnswer {
  leaves: Uint8Array[];
  proof: Uint8Array[];
  leafCount: number;
  size: number;
}

export async function auditPiece(stream: Stream, order: SignedOrderLimit, leafIndices: number[], options?: FramedStreamOptions): Promise<AuditAnswer> {
  const framed = new FramedStream(stream, options);
  try {
    await framed.write(AuditRequest, { order, leafIndices });
    const res = await framed.expect(AuditResponse, 'answer');
    remoteError(res.error);
    return { leaves: res.leaves, proof: res.proof, leafCount: Number(res.leafCount), size: Number(res.size) };
  } finally {
    await framed.closeWrite();
  }
}
