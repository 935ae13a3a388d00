// The metainfo protocol endpoint: one request per stream, answered by MetainfoService.handle();
// a StowageError becomes its code and message, anything else a generic internal error (logged).
// `limit` (the caller's per-IP rate, see common/rate-limit.ts) may refuse it first: RATE_LIMITED;
// a request costs what requestCost() says (hostile review F13: a begin_segment, which picks nodes
// and signs an order for each, cost as much as a bucket listing).
import type { Logger } from 'pino';
import { StowageError } from '../../common/index.js';
import { MetainfoRequest, MetainfoResponse, type FramedStream } from '../../protocol/index.js';
import type { MetainfoService } from './service.js';

/**
 * Rate-limit tokens a request takes: node selection and `total` signed orders (begin_segment,
 * replacement_orders) 10, an object's download orders 4, a listing 2, the rest 1.
 */
export function requestCost(req: MetainfoRequest): number {
  if (req.beginSegment || req.replacementOrders) return 10;
  if (req.getObject) return 4;
  if (req.listObjects || req.listBuckets) return 2;
  return 1;
}

export async function handleMetainfo(
  svc: MetainfoService,
  framed: FramedStream,
  log: Logger,
  onError?: (code: string) => void,
  limit?: (req: MetainfoRequest) => void
): Promise<void> {
  let response: Partial<MetainfoResponse>;
  try {
    const req = await framed.expect(MetainfoRequest, 'request');
    limit?.(req);
    response = await svc.handle(req);
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
