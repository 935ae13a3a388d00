// Refusals any peer can cause are logged a few per window and summed up after, so a peer opening
// streams as fast as it can does not write the node's log at that rate.
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { RefusalLog } from '../../src/node/refusals.js';

function capture(): { logger: pino.Logger; lines: { level: number; msg: string; refused?: number; byKind?: Record<string, number> }[] } {
  const lines: { level: number; msg: string }[] = [];
  return { logger: pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) }), lines };
}

it('logs the first refusals of a window one by one and the rest in one line at its end', async () => {
  const { logger, lines } = capture();
  const log = new RefusalLog(logger, { windowMs: 200, perWindow: 5 });
  for (let i = 0; i < 1000; i++) log.note({ code: i % 2 ? 'NODE_TOO_MANY_STREAMS' : 'ORDER_EXPIRED' }, i % 2 ? 'upload stream refused' : 'upload refused');
  expect(lines).toHaveLength(5);
  await new Promise((r) => setTimeout(r, 400));
  expect(lines).toHaveLength(6);
  expect(lines[5]).toMatchObject({ level: 40, refused: 995, byKind: { 'upload stream refused: NODE_TOO_MANY_STREAMS': 498, 'upload refused: ORDER_EXPIRED': 497 } });
  // A new window logs again, and a window without excess ends without a summary.
  for (let i = 0; i < 3; i++) log.note({ code: 'ORDER_EXPIRED' }, 'upload refused');
  expect(lines).toHaveLength(9);
  await new Promise((r) => setTimeout(r, 400));
  expect(lines).toHaveLength(9);
});

it('flush() ends the window at once (a stopping node writes its last summary)', () => {
  const { logger, lines } = capture();
  const log = new RefusalLog(logger, { windowMs: 60_000, perWindow: 1 });
  log.note({ code: 'A' }, 'x');
  log.note({ code: 'A' }, 'x');
  log.flush();
  expect(lines.map((l) => l.refused)).toEqual([undefined, 1]);
});
