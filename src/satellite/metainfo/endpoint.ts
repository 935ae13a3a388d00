// The metainfo protocol endpoint: one request per stream, answered by MetainfoService.handle();
// a StowageError becomes its code and message, anything else a generic internal error (logged).
// `limit` (the caller's per-IP rate, see common/rate-limit.ts) may refuse it first: RATE_LIMITED;
// a request costs what requestCost() says (hostile review F13: a begin_segment, which picks nodes
// and signs an order for each, cost as much as a bucket listing).
import type { Logger } from 'pino';
import { StowageError } from '../../common/index.js';
import { MetainfoRequest, MetainfoResponse, type FramedStream } from '../../protocol/index.js';
import type { MetainfoService } from './service.js';

/** Signatures (made or checked) one rate-limit token pays for: about 1 ms of the satellite's CPU. */
const SIGNATURES_PER_TOKEN = 10;

/**
 * Rate-limit tokens a request takes before it is handled: a commit 1 + one per 10 receipts and
 * piece hashes it makes the satellite verify (hostile review 11: 110 verified for 1 token, again
 * and again), node selection and `total` signed orders (begin_segment, replacement_orders) 10, an
 * object's download orders 4, a listing 2, the rest 1. What the answer signed beyond that is
 * charged after it (workCost).
 */
export function requestCost(req: MetainfoRequest): number {
  if (req.commitSegment) return 1 + Math.ceil((req.commitSegment.receipts.length + req.commitSegment.pieceHashes.length) / SIGNATURES_PER_TOKEN);
  if (req.beginSegment || req.replacementOrders) return 10;
  if (req.getObject) return 4;
  if (req.listObjects || req.listBuckets || req.listParts || req.listUploads) return 2;
  // Completing moves every segment record of the parts named: one token per 100 parts.
  if (req.completeMultipart) return 1 + Math.ceil(req.completeMultipart.parts.length / 100);
  return 1;
}

/**
 * What a request cost in all, once answered: at least requestCost, and 1 + one token per 10
 * orders the answer carries (a get_object page of tiny segments signs about 700: review 11).
 */
export function workCost(req: MetainfoRequest, res: Partial<MetainfoResponse>): number {
  let orders = (res.beginSegment?.orders.length ?? 0) + (res.replacementOrders?.orders.length ?? 0);
  for (const seg of res.getObject?.segments ?? []) orders += seg.pieces.length;
  return Math.max(requestCost(req), 1 + Math.ceil(orders / SIGNATURES_PER_TOKEN));
}

export async function handleMetainfo(
  svc: MetainfoService,
  framed: FramedStream,
  log: Logger,
  onError?: (code: string) => void,
  limit?: (req: MetainfoRequest) => void,
  /** Charges tokens after the answer (the work beyond what `limit` took), never refusing. */
  charge?: (tokens: number) => void
): Promise<void> {
  let response: Partial<MetainfoResponse>;
  try {
    const req = await framed.expect(MetainfoRequest, 'request');
    limit?.(req);
    response = await svc.handle(req);
    const extra = workCost(req, response) - requestCost(req);
    if (extra > 0) charge?.(extra);
  } catch (err) {
    if (err instanceof StowageError) response = { error: { code: err.code, message: err.message } };
    else {
      log.error({ err }, 'metainfo request failed');
      response = { error: { code: 'SATELLITE_INTERNAL_ERROR', message: 'the satellite failed to answer' } };
    }
    if (response.error) onError?.(response.error.code);
  }
  await framed.write(MetainfoResponse, response).catch(() => undefined);
  await framed.closeWrite();
}
