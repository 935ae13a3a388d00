// The client's error paths the README promises, end to end against a real satellite and real
// nodes on loopback (issue 20): UPLOAD_FAILED with nothing committed, replacement orders that save
// an upload, DECRYPTION_FAILED for an access with the right API key and another secret, and a node
// whose piece file cannot be read (PIECE_IO_ERROR) while the download goes on from the others.
// Each test starts a network of its own: they stop nodes and break piece files.
//
// Which nodes a segment is first given is made certain with the satellite's own rules: with
// `newNodeShare` 0 an upload gets vetted nodes first, unvetted ones only to fill what the vetted
// lack (selection.ts). The test marks four nodes vetted in the satellite's registry (what enough
// passed audits do); the unvetted ones can then only be reached through replacement orders.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { Stowage, createAccess, parseAccess, serializeAccess, type ClientOptions } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { PROTOCOL_DOWNLOAD, createHost, downloadPiece } from '../../src/protocol/index.js';
import type { Satellite, SatelliteConfig } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { collect } from '../node/fixtures/pieces.js';
import { satelliteAddress, startNodes, startSatellite } from '../satellite/fixtures.js';

const SEGMENT = 256 * 1024;

afterAll(() => removeTempDirs());

interface Network {
  satellite: Satellite;
  nodes: StorageNode[];
  dataDirs: string[];
}

/** A satellite and `count` nodes, all stopped when the test ends (a node the test stopped too). */
async function network(count: number, config: Partial<SatelliteConfig>): Promise<Network> {
  const satellite = await startSatellite(config);
  const stops: Array<() => Promise<void>> = [];
  onTestFinished(async () => {
    await Promise.all(stops.map((s) => s()));
    await satellite.stop();
  });
  const { nodes, configs } = await startNodes(satellite, count);
  for (const n of nodes) stops.push(() => n.stop());
  return { satellite, nodes, dataDirs: configs.map((c) => c.dataDir) };
}

/** A client on a new API key; `project` is the key's id (the satellite's records are read by it). */
async function connect(satellite: Satellite, options: ClientOptions = {}): Promise<{ client: Stowage; access: string; project: string }> {
  const apiKey = await satellite.apiKeys.create('error-paths');
  const access = createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, apiKey.key);
  const client = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 10_000, ...options });
  onTestFinished(() => client.close());
  return { client, access, project: apiKey.id };
}

/** Marks nodes vetted in the satellite's registry, as `auditsToVet` passed audits would. */
async function vet(satellite: Satellite, nodes: StorageNode[]): Promise<void> {
  for (const n of nodes) await satellite.registry.update(n.peerId, (rec) => ({ ...rec, vetted: true }));
}

/** Profile 2/3/3/4: a segment goes to 4 nodes and needs 3 of them. */
const PROFILE = { minimum: 2, repair: 3, success: 3, total: 4 };

describe('uploads that cannot place `success` pieces', () => {
  it('fail with UPLOAD_FAILED after the replacement nodes fail too, and commit nothing (an older version stays)', async () => {
    // Nodes 0-3 vetted (each segment's first four), 4-5 unvetted (replacements only).
    const { satellite, nodes } = await network(6, { profile: PROFILE, newNodeShare: 0 });
    await vet(satellite, nodes.slice(0, 4));
    const { client, project } = await connect(satellite);
    await client.createBucket('fails');
    const older = new Uint8Array(randomBytes(SEGMENT / 2));
    await client.upload('fails', 'kept', older);

    // The satellite still counts them online (nobody checks): they are selected, and fail.
    for (const i of [2, 3, 4, 5]) await nodes[i]!.stop();
    const upload = (key: string): Promise<unknown> => client.upload('fails', key, new Uint8Array(randomBytes(SEGMENT + 1000)), { replacementRounds: 1 });
    const err = (await upload('new').then(
      () => undefined,
      (e: unknown) => e
    )) as { code?: string; message?: string } | undefined;
    expect(err?.code).toBe('UPLOAD_FAILED');
    // Two of the first four stored; the round of replacement orders went to the two unvetted
    // nodes (named among the failures), which failed as well.
    expect(err?.message).toMatch(/^segment 0: 2 of 3 pieces stored \(/);
    expect(err?.message).toContain(nodes[4]!.peerId.slice(-8));
    expect(err?.message).toContain(nodes[5]!.peerId.slice(-8));

    // Nothing of it committed: not found, not listed, no segment on the satellite.
    await expect(client.stat('fails', 'new')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(collect(client.download('fails', 'new'))).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(satellite.metadata.getObject(project, 'fails', 'new')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    // A failed upload over an existing key leaves the committed version as it was.
    await expect(upload('kept')).rejects.toMatchObject({ code: 'UPLOAD_FAILED' });
    expect((await client.stat('fails', 'kept')).size).toBe(older.length);
    const listed: string[] = [];
    for await (const page of client.list('fails')) listed.push(...page.objects.map((o) => `${o.key}:${o.size}`));
    expect(listed).toEqual([`kept:${older.length}`]);
  });

  it('fail with UPLOAD_FAILED when the satellite has no replacement nodes left', async () => {
    const { satellite, nodes } = await network(4, { profile: PROFILE, newNodeShare: 0 });
    const { client } = await connect(satellite);
    await client.createBucket('fails');
    await nodes[0]!.stop();
    await nodes[1]!.stop();
    await expect(client.upload('fails', 'none-left', new Uint8Array(randomBytes(SEGMENT / 2)))).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      message: expect.stringMatching(/^segment 0: 2 of 3 pieces stored \(.*\), and no replacement nodes: .*only 0 are eligible/) as string
    });
    await expect(client.stat('fails', 'none-left')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
  });
});

describe('replacement orders', () => {
  it('replace nodes that fail during an upload: the upload succeeds and the object reads back byte-identical', async () => {
    const { satellite, nodes } = await network(6, { profile: PROFILE, newNodeShare: 0 });
    await vet(satellite, nodes.slice(0, 4));
    const { client, project } = await connect(satellite);
    await client.createBucket('replaced');
    await nodes[0]!.stop();
    await nodes[1]!.stop();
    const bytes = new Uint8Array(randomBytes(2 * SEGMENT + 5000));
    const stat = await client.upload('replaced', 'obj', bytes);
    expect(stat.size).toBe(bytes.length);
    expect(stat.segments).toBe(3);

    const { segments } = await satellite.metadata.getObject(project, 'replaced', 'obj');
    expect(segments).toHaveLength(3);
    const stopped = new Set([nodes[0]!.peerId, nodes[1]!.peerId]);
    const replacements = new Set([nodes[4]!.peerId, nodes[5]!.peerId]);
    // Per segment: no piece on a stopped node, at least `success` pieces, and at least one on an
    // unvetted node. The satellite gave each segment's first orders to the four vetted nodes only,
    // so a piece on an unvetted node came through replacement orders.
    expect(segments.map((s) => s.pieces.filter((p) => stopped.has(p.nodeId)).length)).toEqual([0, 0, 0]);
    expect(segments.map((s) => s.pieces.length >= PROFILE.success)).toEqual([true, true, true]);
    expect(segments.map((s) => s.pieces.some((p) => replacements.has(p.nodeId)))).toEqual([true, true, true]);
    expect(Buffer.from(await collect(client.download('replaced', 'obj'))).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('DECRYPTION_FAILED', () => {
  it('an access with the same API key and another secret lists and stats the objects but reads none: DECRYPTION_FAILED', async () => {
    const { satellite } = await network(4, { profile: { minimum: 2, repair: 3, success: 4, total: 4 } });
    const { client, access } = await connect(satellite);
    await client.createBucket('secret');
    const objects: Record<string, Uint8Array> = {
      // Several segments on nodes, one segment inline (4080 bytes or fewer), and empty.
      remote: new Uint8Array(randomBytes(SEGMENT + 777)),
      inline: new Uint8Array(randomBytes(100)),
      empty: new Uint8Array(0)
    };
    for (const [key, bytes] of Object.entries(objects)) await client.upload('secret', key, bytes);

    const other = serializeAccess({ ...parseAccess(access), secret: new Uint8Array(randomBytes(32)) });
    expect(parseAccess(other).apiKey).toBe(parseAccess(access).apiKey);
    const wrong = await Stowage.connect(other, { segmentSize: SEGMENT, pieceTimeoutMs: 10_000 });
    onTestFinished(() => wrong.close());
    // The same project: the satellite shows it everything, sizes included.
    const listed: string[] = [];
    for await (const page of wrong.list('secret')) listed.push(...page.objects.map((o) => `${o.key}:${o.size}`));
    expect(listed).toEqual(['empty:0', `inline:100`, `remote:${SEGMENT + 777}`]);
    const outcomes: Record<string, string> = {};
    for (const key of Object.keys(objects)) {
      const err = (await collect(wrong.download('secret', key)).then(
        () => undefined,
        (e: unknown) => e
      )) as { code?: string; message?: string } | undefined;
      outcomes[key] = `${err?.code}: ${/wrong secret/.test(err?.message ?? '') ? 'wrong secret' : err?.message}`;
    }
    expect(outcomes).toEqual({ remote: 'DECRYPTION_FAILED: wrong secret', inline: 'DECRYPTION_FAILED: wrong secret', empty: 'DECRYPTION_FAILED: wrong secret' });
    // A range of the second segment only, too.
    await expect(collect(wrong.download('secret', 'remote', { offset: SEGMENT + 1, length: 10 }))).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    // The right secret reads every one of them.
    for (const [key, bytes] of Object.entries(objects)) expect(Buffer.from(await collect(client.download('secret', key))).equals(Buffer.from(bytes)), key).toBe(true);
  });
});

describe('PIECE_IO_ERROR', () => {
  it('a node whose piece file cannot be read refuses with PIECE_IO_ERROR, and the download gets the segment from the others', async () => {
    // Every node holds a piece (4 of 4); the satellite gives orders for all four, and a client
    // with no download margin asks the k = 2 lowest piece numbers first: piece 0 among them.
    const { satellite, nodes, dataDirs } = await network(4, { profile: { minimum: 2, repair: 3, success: 4, total: 4 }, downloadMargin: 2 });
    const { client, project } = await connect(satellite, { downloadMargin: 0 });
    await client.createBucket('broken-io');
    // One segment, pieces of ~100 KiB: files, not LevelDB values (64 KiB and more).
    const bytes = new Uint8Array(randomBytes(200 * 1024));
    await client.upload('broken-io', 'obj', bytes);
    const { segments } = await satellite.metadata.getObject(project, 'broken-io', 'obj');
    expect(segments).toHaveLength(1);
    expect(segments[0]!.pieces.map((p) => p.number).sort()).toEqual([0, 1, 2, 3]);
    const at = nodes.findIndex((n) => n.peerId === segments[0]!.pieces.find((p) => p.number === 0)!.nodeId);
    expect(at).toBeGreaterThanOrEqual(0);
    const broken = nodes[at]!;

    // Its one piece file, replaced by a directory of the same name: reading it fails (EISDIR).
    const blobs = join(dataDirs[at]!, 'pieces', 'blobs');
    const files = readdirSync(blobs, { recursive: true })
      .map((f) => join(blobs, String(f)))
      .filter((f) => statSync(f).isFile());
    expect(files).toHaveLength(1);
    rmSync(files[0]!);
    mkdirSync(files[0]!);

    const ioErrors = async (): Promise<number> => (await broken.metrics.errors.get()).values.find((v) => v.labels.action === 'download' && v.labels.code === 'PIECE_IO_ERROR')?.value ?? 0;
    expect(await ioErrors()).toBe(0);

    // The node's answer to a valid GET order from the satellite, on the download protocol.
    const page = await satellite.metainfo.getObject(project, 'broken-io', 'obj', { allPieces: true });
    const piece = page.segments[0]!.pieces.find((p) => p.order!.nodeId === broken.peerId)!;
    expect(piece.order!.pieceNumber).toBe(0);
    const host = await createHost();
    onTestFinished(() => host.stop());
    const stream = await host.dialProtocol(multiaddr(broken.multiaddrs()[0]), PROTOCOL_DOWNLOAD);
    const orderKey = privateKeyFromRaw(page.segments[0]!.orderPrivateKey!);
    await expect(collect(downloadPiece(stream, { limit: piece.order!.order!.limit, signature: piece.order!.order!.signature, orderKey }))).rejects.toMatchObject({ code: 'PIECE_IO_ERROR' });
    expect(await ioErrors()).toBe(1);

    // The client asks the broken node (piece 0) first, meets the same refusal, and gets the
    // segment from the others.
    expect(Buffer.from(await collect(client.download('broken-io', 'obj'))).equals(Buffer.from(bytes))).toBe(true);
    expect(await ioErrors()).toBe(2);
  });
});
