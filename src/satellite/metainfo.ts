// The client API, /stowage/metainfo/1.0.0: plain methods over the metadata, the registry, node
// selection and the order issuer, and a thin handler that checks the API key and dispatches.
import { randomBytes } from 'node:crypto';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import type { Logger } from 'pino';
import { StowageError } from '../common/index.js';
import {
  MetainfoRequest,
  MetainfoResponse,
  PieceAction,
  PROTOCOL_DELETE,
  deletePiece,
  equalBytes,
  verifyPieceHash,
  verifyPieceReceipt,
  type AddressedOrder,
  type BeginSegmentResponse,
  type FramedStream,
  type GetObjectResponse,
  type ObjectInfo,
  type SignedOrderLimit,
  type SignedPieceHash,
  type SignedPieceReceipt
} from '../protocol/index.js';
import type { ApiKeys } from './apikeys.js';
import type { RedundancyProfile } from './config.js';
import { MetadataError, type Metadata, type ObjectRecord, type ReceiptContent, type SegmentPiece } from './metadata.js';
import type { OrderIssuer } from './orders.js';
import type { NodeRecord, NodeRegistry } from './registry.js';
import { selectNodes } from './selection.js';

export interface MetainfoOptions {
  profile: RedundancyProfile;
  /** Segments up to this size may be stored inline in the metadata. */
  maxInlineBytes: number;
  /** Largest piece a segment may ask for. */
  maxPieceSize: number;
  /** One node per /24 or /64. */
  distinctSubnets: boolean;
  newNodeShare: number;
  onlineWithinMs: number;
  /** Extra GET orders beyond k, for the long tail. */
  downloadMargin: number;
}

export interface MetainfoDeps {
  metadata: Metadata;
  registry: NodeRegistry;
  issuer: OrderIssuer;
  apiKeys: ApiKeys;
  libp2p: Libp2p;
  now: () => number;
  log: Logger;
}

const scheme = (p: RedundancyProfile) => ({ minimum: p.minimum, repair: p.repair, success: p.success, total: p.total });

function objectInfo(o: ObjectRecord): ObjectInfo {
  return {
    bucket: o.bucket,
    key: o.key,
    size: BigInt(o.size),
    created: BigInt(o.createdAt),
    committed: BigInt(o.committedAt ?? 0),
    segmentCount: o.segmentCount,
    metadata: new Uint8Array(Buffer.from(o.metadata, 'base64')),
    encryption: o.encryption,
    expires: BigInt(o.expiresAt ?? 0),
    encryptedKey: new Uint8Array(Buffer.from(o.encryptedKey ?? '', 'base64'))
  };
}

export class MetainfoService {
  /** Deletes sent to nodes in the background; stop() waits for them. */
  readonly pendingDeletes = new Set<Promise<void>>();

  constructor(
    private readonly d: MetainfoDeps,
    private readonly o: MetainfoOptions
  ) {}

  private async nodes(): Promise<NodeRecord[]> {
    const all: NodeRecord[] = [];
    for await (const rec of this.d.registry.list()) all.push(rec);
    return all;
  }

  private async addressed(orders: SignedOrderLimit[], targets: { nodeId: string; number: number }[]): Promise<AddressedOrder[]> {
    return Promise.all(
      targets.map(async (t, i) => ({
        order: orders[i]!,
        nodeId: t.nodeId,
        addresses: (await this.d.registry.get(t.nodeId))?.addresses ?? [],
        pieceNumber: t.number
      }))
    );
  }

  async beginSegment(streamId: string, index: number, pieceSize: number, expiresAt: number | null): Promise<BeginSegmentResponse> {
    if (!Number.isSafeInteger(pieceSize) || pieceSize < 1 || pieceSize > this.o.maxPieceSize) {
      throw new MetadataError('SEGMENT_PIECE_SIZE_INVALID', `piece size must be 1 to ${this.o.maxPieceSize} bytes`);
    }
    const { profile } = this.o;
    // All `total` nodes when there are that many, else as few as `success`: the upload then has
    // no long tail to cut, but goes on (the chaos run found uploads failing whenever a few of a
    // small network's nodes were down).
    const chosen = selectNodes(await this.nodes(), {
      count: profile.total,
      minimum: profile.success,
      pieceSize,
      now: this.d.now(),
      onlineWithinMs: this.o.onlineWithinMs,
      distinctSubnets: this.o.distinctSubnets,
      newNodeShare: this.o.newNodeShare
    });
    const root = new Uint8Array(randomBytes(32));
    const targets = chosen.map((n, i) => ({ nodeId: n.id, number: i }));
    // The client's key for this segment (as Storj's satellite issues a piece key): its public half
    // goes in every PUT order, so nodes and this satellite accept only roots the client signed.
    const uplink = await generateKeyPair('Ed25519');
    const uplinkPublic = uplink.publicKey.raw;
    await this.d.metadata.beginSegment(streamId, index, { rootPieceId: Buffer.from(root).toString('hex'), pieceSize, profile, nodes: targets, uplinkKey: Buffer.from(uplinkPublic).toString('hex') });
    const orders = await this.d.issuer.issue(PieceAction.PUT, root, targets, pieceSize, expiresAt, uplinkPublic);
    return { rootPieceId: root, scheme: scheme(profile), orders: await this.addressed(orders, targets), piecePrivateKey: new Uint8Array(uplink.raw) };
  }

  async replacementOrders(streamId: string, index: number, numbers: number[], expiresAt: number | null): Promise<BeginSegmentResponse> {
    const plan = await this.d.metadata.addSegmentNodes(streamId, index, []);
    if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 0 || n >= plan.profile.total)) {
      throw new MetadataError('SEGMENT_PIECE_NUMBERS_INVALID', `piece numbers must be 0 to ${plan.profile.total - 1}`);
    }
    const chosen = selectNodes(await this.nodes(), {
      count: numbers.length,
      pieceSize: plan.pieceSize,
      now: this.d.now(),
      onlineWithinMs: this.o.onlineWithinMs,
      distinctSubnets: this.o.distinctSubnets,
      newNodeShare: this.o.newNodeShare,
      exclude: new Set(plan.nodes.map((n) => n.nodeId))
    });
    const targets = chosen.map((n, i) => ({ nodeId: n.id, number: numbers[i]! }));
    await this.d.metadata.addSegmentNodes(streamId, index, targets);
    const root = new Uint8Array(Buffer.from(plan.rootPieceId, 'hex'));
    // The same uploader key as the segment's first orders: the client kept its private half.
    const orders = await this.d.issuer.issue(PieceAction.PUT, root, targets, plan.pieceSize, expiresAt, Buffer.from(plan.uplinkKey ?? '', 'hex'));
    return { rootPieceId: root, scheme: scheme(plan.profile), orders: await this.addressed(orders, targets), piecePrivateKey: new Uint8Array(0) };
  }

  /**
   * The pieces of a segment commit that node and client agree on: each receipt signed by its node,
   * each paired (by piece id) with a piece hash the client signed with the segment's uploader key,
   * of the same root and size. A piece without that agreement is left out (logged), so a node
   * cannot get bytes committed that the client did not send; too few left is SEGMENT_TOO_FEW_PIECES.
   */
  async agreedPieces(streamId: string, index: number, receipts: readonly SignedPieceReceipt[], hashes: readonly SignedPieceHash[]): Promise<ReceiptContent[]> {
    const plan = await this.d.metadata.pendingSegment(streamId, index);
    if (!plan.uplinkKey) throw new MetadataError('SEGMENT_NOT_PENDING', `segment ${index} has no uploader key`);
    if (receipts.length > plan.nodes.length || hashes.length > plan.nodes.length) {
      throw new MetadataError('RECEIPT_INVALID', `${receipts.length} receipts and ${hashes.length} piece hashes for ${plan.nodes.length} chosen nodes`);
    }
    const uplinkKey = Buffer.from(plan.uplinkKey, 'hex');
    const byPiece = new Map<string, { root: Uint8Array; size: bigint; leafSize: number }>();
    for (const h of hashes) {
      let hash;
      try {
        hash = await verifyPieceHash(h, uplinkKey);
      } catch (err) {
        throw new MetadataError('PIECE_HASH_INVALID', `a piece hash does not verify with this segment's uploader key: ${(err as Error).message}`);
      }
      byPiece.set(Buffer.from(hash.pieceId).toString('hex'), hash);
    }
    const agreed: ReceiptContent[] = [];
    for (const signed of receipts) {
      const r = await verifyPieceReceipt(signed);
      const client = byPiece.get(Buffer.from(r.pieceId).toString('hex'));
      const wrong = !client
        ? 'the client vouched for no root of this piece'
        : !equalBytes(client.root, r.root) || client.size !== r.size || client.leafSize !== r.leafSize
          ? 'the node signed another root or size than the client sent'
          : null;
      if (wrong) {
        this.d.log.warn({ node: r.nodeId, stream: streamId, segment: index }, `piece left out of the commit: ${wrong}`);
        continue;
      }
      agreed.push({ nodeId: r.nodeId, pieceId: r.pieceId, size: Number(r.size), root: r.root });
    }
    return agreed;
  }

  async getObject(project: string, bucket: string, key: string): Promise<GetObjectResponse> {
    const { object, segments } = await this.d.metadata.getObject(project, bucket, key);
    const reachable = new Map<string, boolean>();
    for (const s of segments) for (const p of s.pieces) if (!reachable.has(p.nodeId)) reachable.set(p.nodeId, (await this.d.registry.get(p.nodeId))?.reachable ?? false);
    const out: GetObjectResponse = { object: objectInfo(object), segments: [], more: false, nextSegment: 0 };
    for (const s of segments) {
      const wanted = s.profile.minimum + this.o.downloadMargin;
      // Reachable nodes first; a shuffle spreads the reads.
      const pieces = [...s.pieces].sort(() => Math.random() - 0.5).sort((a, b) => Number(reachable.get(b.nodeId)) - Number(reachable.get(a.nodeId))).slice(0, wanted);
      const orders = pieces.length ? await this.d.issuer.issue(PieceAction.GET, new Uint8Array(Buffer.from(s.rootPieceId, 'hex')), pieces, s.pieceSize) : [];
      const addressed = await this.addressed(orders, pieces);
      out.segments.push({
        index: s.index,
        plainSize: BigInt(s.plainSize),
        pieceSize: BigInt(s.pieceSize),
        inline: s.inline ? new Uint8Array(Buffer.from(s.inline, 'base64')) : new Uint8Array(0),
        scheme: scheme(s.profile),
        pieces: addressed.map((order, i) => ({ order, root: new Uint8Array(Buffer.from(pieces[i]!.root, 'hex')), size: BigInt(pieces[i]!.size) })),
        plainOffset: 0n
      });
    }
    return out;
  }

  /** Removes the metadata now; asks the nodes to delete in the background (GC catches misses). */
  async deleteObject(project: string, bucket: string, key: string): Promise<void> {
    const segments = await this.d.metadata.deleteObject(project, bucket, key);
    const work = (async () => {
      for (const s of segments) {
        const root = new Uint8Array(Buffer.from(s.rootPieceId, 'hex'));
        await Promise.all(s.pieces.map((p) => this.deleteFromNode(root, p)));
      }
    })();
    this.pendingDeletes.add(work);
    void work.finally(() => this.pendingDeletes.delete(work));
  }

  private async deleteFromNode(root: Uint8Array, piece: SegmentPiece): Promise<void> {
    try {
      const [order] = await this.d.issuer.issue(PieceAction.DELETE, root, [piece], 0);
      const rec = await this.d.registry.get(piece.nodeId);
      const address = rec?.addresses[0];
      if (!address) return;
      const stream = await this.d.libp2p.dialProtocol(multiaddr(address).encapsulate(`/p2p/${piece.nodeId}`), PROTOCOL_DELETE, { signal: AbortSignal.timeout(10_000) });
      await deletePiece(stream, order!);
    } catch (err) {
      this.d.log.info({ node: piece.nodeId, err: (err as Error).message }, 'delete not delivered; garbage collection will catch it');
    }
  }

  /** One request: the API key names the project; exactly one operation. */
  async handle(req: MetainfoRequest): Promise<Partial<MetainfoResponse>> {
    const key = await this.d.apiKeys.verify(req.apiKey);
    const project = key.id;
    const md = this.d.metadata;
    if (req.createBucket) {
      await md.createBucket(project, req.createBucket.name);
      return {};
    }
    if (req.listBuckets) return { listBuckets: { buckets: (await md.listBuckets(project)).map((b) => ({ name: b.name, created: BigInt(b.createdAt) })) } };
    if (req.deleteBucket) {
      await md.deleteBucket(project, req.deleteBucket.name);
      return {};
    }
    if (req.beginObject) {
      const b = req.beginObject;
      const o = await md.beginObject(project, b.bucket, b.key, {
        metadata: Buffer.from(b.metadata).toString('base64'),
        encryption: b.encryption.slice(0, 256),
        encryptedKey: Buffer.from(b.encryptedKey).toString('base64'),
        expiresAt: b.expires > 0n ? Number(b.expires) : null
      });
      return { beginObject: { streamId: o.streamId, scheme: scheme(this.o.profile), maxInline: BigInt(this.o.maxInlineBytes) } };
    }
    if (req.beginSegment) {
      const b = req.beginSegment;
      return { beginSegment: await this.beginSegment(b.streamId, b.index, Number(b.pieceSize), null) };
    }
    if (req.replacementOrders) {
      const r = req.replacementOrders;
      return { replacementOrders: await this.replacementOrders(r.streamId, r.index, r.pieceNumbers, null) };
    }
    if (req.commitSegment) {
      const c = req.commitSegment;
      await md.commitSegment(c.streamId, c.index, Number(c.plainSize), await this.agreedPieces(c.streamId, c.index, c.receipts, c.pieceHashes));
      return {};
    }
    if (req.commitInlineSegment) {
      const c = req.commitInlineSegment;
      await md.commitInlineSegment(c.streamId, c.index, Number(c.plainSize), c.data, this.o.maxInlineBytes);
      return {};
    }
    if (req.commitObject) {
      const { object, replaced } = await md.commitObject(req.commitObject.streamId);
      if (replaced.length) this.d.log.info({ pieces: replaced.length }, 'object replaced; its old pieces are left to garbage collection');
      return { commitObject: { size: BigInt(object.size) } };
    }
    if (req.getObject) return { getObject: await this.getObject(project, req.getObject.bucket, req.getObject.key) };
    if (req.listObjects) {
      const l = req.listObjects;
      const page = await md.listObjects(project, l.bucket, {
        prefix: l.prefix,
        delimiter: l.delimiter || undefined,
        cursor: l.cursor || undefined,
        limit: l.limit || undefined
      });
      return { listObjects: { objects: page.objects.map(objectInfo), prefixes: page.prefixes, nextCursor: page.nextCursor ?? '' } };
    }
    if (req.deleteObject) {
      await this.deleteObject(project, req.deleteObject.bucket, req.deleteObject.key);
      return {};
    }
    throw new MetadataError('METAINFO_NO_OPERATION', 'the request names no operation');
  }
}

export async function handleMetainfo(svc: MetainfoService, framed: FramedStream, log: Logger, onError?: (code: string) => void): Promise<void> {
  let response: Partial<MetainfoResponse>;
  try {
    const req = await framed.expect(MetainfoRequest, 'request');
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
