// The metainfo protocol endpoint: one request per stream, answered by MetainfoService.handle();
// a StowageError becomes its code and message, anything else a generic internal error (logged).
// `limit` (the caller's per-IP rate, see common/rate-limit.ts) may refuse it first: RATE_LIMITED.
import type { Logger } from 'pino';
import { StowageError } from '../../common/index.js';
import { MetainfoRequest, MetainfoResponse, type FramedStream } from '../../protocol/index.js';
import type { MetainfoService } from './service.js';

export async function handleMetainfo(svc: MetainfoService, framed: FramedStream, log: Logger, onError?: (code: string) => void, limit?: () => void): Promise<void> {
  let response: Partial<MetainfoResponse>;
  try {
    const req = await framed.expect(MetainfoRequest, 'request');
    limit?.();
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
