// A node whose disk is full still serves what it holds (audits, repair and client downloads): the
// order's serial cannot be written to LevelDB, so it is kept burned in memory (a replay is still
// refused) and the order goes on; uploads are refused. Before, every audit on a full disk was refused with NODE_INTERNAL_ERROR and an
// honest node was disqualified for a full disk (a chaos run, seed 208582201).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDiskFull } from '../../src/common/index.js';
import { OrderChecker } from '../../src/node/orders.js';
import { PieceAction } from '../../src/protocol/index.js';
import { fillDisk } from '../chaos/faults.js';
import { TestSatellite } from './fixtures/network.js';

const NODE = '12D3KooWNodeUnderTest';

// Mounting a tmpfs needs root (CI and these machines run as root); elsewhere this is skipped, saying why.
describe.skipIf(process.getuid?.() !== 0)('order checks on a full disk (needs root: mounts a tmpfs)', () => {
  let mnt: string;
  let db: Level<string, unknown>;
  let satellite: TestSatellite;
  let checker: OrderChecker;
  const unsaved: string[] = [];

  beforeAll(async () => {
    // A real small filesystem (the machines run as root, as the piece store's tmpfs test does).
    mnt = mkdtempSync(join(tmpdir(), 'stowage-orders-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
    db = new Level<string, unknown>(join(mnt, 'node-db'), { valueEncoding: 'json' });
    await db.open();
    satellite = await TestSatellite.create();
    checker = new OrderChecker({ nodeId: NODE, trustedSatellites: new Set([satellite.id]), clockSkewMs: 60_000, now: Date.now, db, onUnsaved: (serial) => unsaved.push(serial) });
  });

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    if (mnt) {
      execFileSync('umount', ['-l', mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });

  it('keeps the serial in memory, answers, refuses the replay, and writes again once there is room', async () => {
    const pieceId = new Uint8Array(32).fill(7);
    // Room: the serial is written.
    await checker.check(await satellite.order(NODE, PieceAction.AUDIT, pieceId), [PieceAction.AUDIT]);
    expect(unsaved).toEqual([]);

    const filler = join(mnt, 'filler');
    expect(await fillDisk(filler)).toBeGreaterThan(0);
    // The disk is really full: LevelDB cannot write (this is what the node met).
    const err = await db.put('probe', 'x'.repeat(256 * 1024)).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(isDiskFull(err)).toBe(true);

    const audit = await satellite.order(NODE, PieceAction.AUDIT, pieceId);
    const limit = await checker.check(audit, [PieceAction.AUDIT]);
    expect(limit.action).toBe(PieceAction.AUDIT);
    // A read does not wait for its serial's write: the write's failure is noted as it comes.
    await expect.poll(() => unsaved).toHaveLength(1);
    // Burned all the same: the same order again is a replay.
    await expect(checker.check(audit, [PieceAction.AUDIT])).rejects.toMatchObject({ code: 'ORDER_REPLAYED' });

    // Repair and client downloads go on too (reads); an upload is refused, and nothing is kept of it.
    await checker.check(await satellite.order(NODE, PieceAction.REPAIR_GET, pieceId), [PieceAction.REPAIR_GET]);
    await checker.check(await satellite.order(NODE, PieceAction.GET, pieceId), [PieceAction.GET]);
    await expect.poll(() => unsaved).toHaveLength(3);
    const put = await satellite.order(NODE, PieceAction.PUT, new Uint8Array(32).fill(8));
    const refused = await checker.check(put, [PieceAction.PUT]).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(isDiskFull(refused)).toBe(true);
    expect(unsaved).toHaveLength(3);

    // Room again: serials are written again, and the refused upload's order is good again.
    rmSync(filler);
    await checker.check(put, [PieceAction.PUT]);
    await checker.check(await satellite.order(NODE, PieceAction.GET, pieceId), [PieceAction.GET]);
    // Its write goes through now (a failure would be noted by now: the batch is one LevelDB write).
    await new Promise((r) => setTimeout(r, 200));
    expect(unsaved).toHaveLength(3);
  });

  it('tells a full disk from other errors', () => {
    expect(isDiskFull(Object.assign(new Error('write failed'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(new Error('IO error: /x/node-db/000003.log: No space left on device'))).toBe(true);
    expect(isDiskFull(new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ENOSPC' }) }))).toBe(true);
    expect(isDiskFull(new Error('IO error: corruption'))).toBe(false);
    expect(isDiskFull(undefined)).toBe(false);
  });
});

