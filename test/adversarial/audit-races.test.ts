// A client that deletes an object while its pieces are being audited (by chance, or to get honest
// nodes failed: a report picks the piece, the delete lands as the audit starts): the honest node
// rightly has nothing, and the audit is skipped, never a failure; no node becomes distrusted.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { PieceAction } from '../../src/protocol/index.js';
import { hasRecentFailures, type OrderIssuer, type Satellite } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { connectClient, startNodes, startSatellite } from '../satellite/fixtures.js';

let satellite: Satellite;
let nodes: StorageNode[];
let client: Stowage;

beforeAll(async () => {
  satellite = await startSatellite({ onlineWithinMs: 60_000, profile: { minimum: 2, repair: 3, success: 4, total: 4 } });
  ({ nodes } = await startNodes(satellite, 5));
  client = await connectClient(satellite, { segmentSize: 128 * 1024 });
  await client.createBucket('races');
  await satellite.checkUptime();
});

afterAll(async () => {
  await client?.close();
  await Promise.all((nodes ?? []).map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

it('skips, never fails, an audit whose object is deleted while the node is asked', async () => {
  // The auditor's order issuing is where the delete is slipped in: after the challenge was
  // checked against the metadata, before the node is asked.
  const issuer = (satellite.audits as unknown as { d: { issuer: OrderIssuer } }).d.issuer;
  const issue = issuer.issue.bind(issuer);
  let armed = false;
  issuer.issue = async (action, ...rest) => {
    if (action === PieceAction.AUDIT && armed) {
      armed = false;
      await client.delete('races', 'x');
      await Promise.allSettled([...satellite.metainfo.pendingDeletes]);
    }
    return issue(action, ...rest);
  };
  const outcomes: string[] = [];
  for (let round = 0; round < 3; round++) {
    await client.upload('races', 'x', new Uint8Array(randomBytes(100 * 1024)));
    armed = true;
    for (const r of await satellite.audits.runRound()) outcomes.push(r.outcome);
  }
  expect(outcomes).toContain('skipped');
  expect(outcomes).not.toContain('failure');
  for (const n of nodes) expect(hasRecentFailures(await satellite.reputation.get(n.peerId))).toBe(false);
});
