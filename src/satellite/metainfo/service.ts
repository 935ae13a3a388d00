// The client API, /stowage/metainfo/1.0.0: plain methods over the metadata, the registry, node
// selection and the order issuer, and handle(), which checks the API key and dispatches (the
// protocol endpoint over it is endpoint.ts).
import { randomBytes } from 'node:crypto';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import type { Logger } from 'pino';
import {
  GetObjectResponse,
  MAX_MESSAGE_BYTES,
  type MetainfoRequest,
  type MetainfoResponse,
  ObjectInfo,
  PieceAction,
  PROTOCOL_DELETE,
  SegmentInfo,
  type SegmentPart,
  UploadInfo,
  deletePiece,
  equalBytes,
  verifyPieceHash,
  verifyPieceReceipt,
  type AddressedOrder,
  type BeginSegmentResponse,
  PartInfo,
  type SignedOrderLimit,
  type SignedPieceHash,
  type SignedPieceReceipt
} from '../../protocol/index.js';
import type { ApiKeyDB } from '../apikeys/index.js';
import type { RedundancyProfile } from './profile.js';
import { MAX_KEY_BYTES, MAX_METADATA_BYTES, MAX_WRAPPED_KEY_BYTES, type MetadataDB, type SegmentPartPlace, type UploadListing, type ObjectRecord, type PartRecord, type ReceiptContent, type SegmentPiece } from './db.js';
import { MetadataError } from './errors.js';
import { effectiveLimits, type ProjectLimits } from './limits.js';
import { connectNode } from '../contact/index.js';
import type { OrderIssuer } from '../orders/index.js';
import type { NodeRecord, NodeDB } from '../overlay/index.js';
import { NotEnoughNodesError, selectNodes, type SelectionOptions } from '../overlay/index.js';

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
  /** Every project's limits, unless its API key has its own; none when absent. */
  projectLimits?: ProjectLimits;
}

export interface MetainfoDeps {
  metadata: MetadataDB;
  registry: NodeDB;
  issuer: OrderIssuer;
  apiKeys: ApiKeyDB;
  libp2p: Libp2p;
  now: () => number;
  log: Logger;
  /** Nodes with recent audit failures not yet outweighed: they get no new pieces. */
  distrusted?: () => Promise<Set<string>>;
  /**
   * The nodes selection may pick from, from memory (CachedNodeDB.candidates); without it every
   * selection walks the registry.
   */
  candidates?: () => Promise<readonly NodeRecord[]>;
  /** Where clients' reports of bad pieces go: the auditor checks those pieces next. */
  suspects?: { reportSuspect(nodeId: string, segmentKey: string, pieceNumber: number, reason: string): Promise<void> };
}

/** Nodes one report may name. */
export const MAX_REPORTED_NODES = 16;

const scheme = (p: RedundancyProfile) => ({ minimum: p.minimum, repair: p.repair, success: p.success, total: p.total });

/** A segment's place in its part, with the part's leaf and proof in the parts tree, for the wire. */
function segmentPart(p: SegmentPartPlace): SegmentPart {
  return {
    number: p.number,
    index: p.index,
    offset: BigInt(p.offset),
    size: BigInt(p.size),
    salt: new Uint8Array(Buffer.from(p.salt, 'hex')),
    partOffset: BigInt(p.partOffset ?? 0),
    leaf: p.leaf ?? 0,
    proof: (p.proof ?? []).map((h) => new Uint8Array(Buffer.from(h, 'base64')))
  };
}

/** The bytes of a length-delimited protobuf field with a one-byte tag and a body of `n` bytes. */
function fieldBytes(n: number): number {
  return 1 + (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 5) + n;
}

function partInfo(p: PartRecord): PartInfo {
  return { number: p.number, size: BigInt(p.size), committed: BigInt(p.committedAt), salt: new Uint8Array(Buffer.from(p.salt, 'hex')), info: new Uint8Array(Buffer.from(p.info, 'base64')), partStreamId: p.streamId };
}

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
    encryptedKey: new Uint8Array(Buffer.from(o.encryptedKey ?? '', 'base64')),
    ...(o.partCount ? { partCount: o.partCount } : {})
  };
}

/**
 * Objects whose pieces are deleted from nodes at once, and objects waiting for that (hostile
 * review 11: 2000 objects deleted at once signed 220 000 orders and filled libp2p's dial queue,
 * so audits, repair and uptime dials failed meanwhile). Past the queue the nodes are not asked:
 * garbage collection removes those pieces later.
 */
export const BACKGROUND_DELETES = { running: 8, queued: 10_000 } as const;

export class MetainfoService {
  /** Deletes sent to nodes in the background; stop() waits for them. */
  readonly pendingDeletes = new Set<Promise<void>>();
  private deletesRunning = 0;
  private readonly deleteWaiters: Array<() => void> = [];
  /** Objects whose node deletes were left to garbage collection (the queue was full). */
  deletesLeftToGc = 0;

  /** Objects whose pieces are being deleted from nodes now (at most BACKGROUND_DELETES.running). */
  get deletesInFlight(): number {
    return this.deletesRunning;
  }

  constructor(
    private readonly d: MetainfoDeps,
    private readonly o: MetainfoOptions
  ) {}

  /**
   * Nodes for new pieces: nodes with recent audit failures only when the others are too few (a
   * small network would refuse uploads while a bad node awaits disqualification; a large one
   * never needs them).
   */
  private async select(options: SelectionOptions): Promise<NodeRecord[]> {
    const distrusted = (await this.d.distrusted?.()) ?? new Set<string>();
    let all: readonly NodeRecord[];
    if (this.d.candidates) all = await this.d.candidates();
    else {
      const listed: NodeRecord[] = [];
      for await (const rec of this.d.registry.list()) listed.push(rec);
      all = listed;
    }
    if (distrusted.size === 0) return selectNodes(all, options);
    try {
      return selectNodes(all.filter((n) => !distrusted.has(n.id)), options);
    } catch (err) {
      if (!(err instanceof NotEnoughNodesError)) throw err;
      return selectNodes(all, options);
    }
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

  async beginSegment(streamId: string, index: number, pieceSize: number, expiresAt: number | null, limits?: ProjectLimits): Promise<BeginSegmentResponse> {
    if (!Number.isSafeInteger(pieceSize) || pieceSize < 1 || pieceSize > this.o.maxPieceSize) {
      throw new MetadataError('SEGMENT_PIECE_SIZE_INVALID', `piece size must be 1 to ${this.o.maxPieceSize} bytes`);
    }
    const { profile } = this.o;
    // All `total` nodes when there are that many, else as few as `success`: the upload then has
    // no long tail to cut, but goes on (the chaos run found uploads failing whenever a few of a
    // small network's nodes were down).
    const chosen = await this.select({
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
    // Counted against the project's limits (and refused past them) before any order is signed.
    await this.d.metadata.beginSegment(streamId, index, { rootPieceId: Buffer.from(root).toString('hex'), pieceSize, profile, nodes: targets, uplinkKey: Buffer.from(uplinkPublic).toString('hex') }, limits);
    const orders = await this.d.issuer.issue(PieceAction.PUT, root, targets, pieceSize, expiresAt, uplinkPublic);
    return { rootPieceId: root, scheme: scheme(profile), orders: await this.addressed(orders, targets), piecePrivateKey: new Uint8Array(uplink.raw) };
  }

  async replacementOrders(streamId: string, index: number, numbers: number[], expiresAt: number | null, limits?: ProjectLimits): Promise<BeginSegmentResponse> {
    const plan = await this.d.metadata.addSegmentNodes(streamId, index, []);
    if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 0 || n >= plan.profile.total)) {
      throw new MetadataError('SEGMENT_PIECE_NUMBERS_INVALID', `piece numbers must be 0 to ${plan.profile.total - 1}`);
    }
    // Each round signs orders for whole pieces: without a bound, one segment could be given
    // orders for every node of the network, again and again.
    if (limits && plan.nodes.length + numbers.length > plan.profile.total + limits.maxReplacementNodes) {
      throw new MetadataError(
        'SEGMENT_REPLACEMENT_LIMIT',
        `segment ${index} was given ${plan.nodes.length - plan.profile.total} replacement nodes of the ${limits.maxReplacementNodes} allowed: ${numbers.length} more are too many`
      );
    }
    const chosen = await this.select({
      count: numbers.length,
      pieceSize: plan.pieceSize,
      now: this.d.now(),
      onlineWithinMs: this.o.onlineWithinMs,
      distinctSubnets: this.o.distinctSubnets,
      newNodeShare: this.o.newNodeShare,
      exclude: new Set(plan.nodes.map((n) => n.nodeId))
    });
    const targets = chosen.map((n, i) => ({ nodeId: n.id, number: numbers[i]! }));
    // The limit again where the plan is written: requests racing through several processes.
    await this.d.metadata.addSegmentNodes(streamId, index, targets, limits ? plan.profile.total + limits.maxReplacementNodes : undefined);
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

  /**
   * An object and one page of its segments with GET orders, from `firstSegment`, or (when that is
   * 0) from the segment holding byte `offset`: at most `segmentLimit` segments (0: no limit) and no
   * more than fit in one frame with the MetainfoResponse around them, but always one. `more` and
   * `nextSegment` say where the next page starts. `statOnly`: the object alone, nothing signed.
   * `allPieces`: orders for every piece of each segment, else for k plus the download margin;
   * pieces on reachable nodes first either way.
   */
  async getObject(
    project: string,
    bucket: string,
    key: string,
    opts: { firstSegment?: number; offset?: number; segmentLimit?: number; statOnly?: boolean; allPieces?: boolean; partNumber?: number; limits?: ProjectLimits } = {}
  ): Promise<GetObjectResponse> {
    const { object } = await this.d.metadata.getObject(project, bucket, key, { segments: false });
    const out: GetObjectResponse = { object: objectInfo(object), segments: [] };
    if (opts.statOnly) {
      if (opts.partNumber) {
        const range = await this.d.metadata.partRange(object, opts.partNumber);
        out.partOffset = BigInt(range.offset);
        out.partSize = BigInt(range.size);
        if (range.place) out.partPlace = segmentPart(range.place);
      }
      return out;
    }
    // Bytes this page lets the client download: its GET orders' pieces and its inline segments.
    let egress = 0;
    const varint = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);
    // Encoded bytes so far: the MetainfoResponse envelope (its field tag, a length of at most 5
    // bytes), this message with `more` and `next_segment` at their largest, then per segment its
    // field tag, length and body, as the encoder writes them.
    let bytes = 1 + 5 + GetObjectResponse.encode({ ...out, more: true, nextSegment: 0xffffffff }).length;
    const limit = opts.segmentLimit || Infinity;
    const registry = new Map<string, Promise<NodeRecord | undefined>>();
    const node = (id: string): Promise<NodeRecord | undefined> => {
      let rec = registry.get(id);
      if (!rec) registry.set(id, (rec = this.d.registry.get(id)));
      return rec;
    };
    const start = opts.firstSegment ? { index: opts.firstSegment } : { offset: opts.offset ?? 0 };
    for await (const { segment: s, plainOffset } of this.d.metadata.segmentsFrom(object, start)) {
      const records = await Promise.all(s.pieces.map((p) => node(p.nodeId)));
      // Reachable nodes first; a shuffle spreads the reads.
      const order = s.pieces.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      order.sort((a, b) => Number(records[b]?.reachable ?? false) - Number(records[a]?.reachable ?? false));
      const chosen = order.slice(0, opts.allPieces ? order.length : s.profile.minimum + this.o.downloadMargin);
      const pieces = chosen.map((i) => s.pieces[i]!);
      // The downloader's key for this segment's bandwidth orders (PROTOCOL.md, Egress): its
      // public half is in every GET limit, so a node is paid only for bytes the client signed for.
      const orderKey = pieces.length ? await generateKeyPair('Ed25519') : undefined;
      const orders = orderKey ? await this.d.issuer.issue(PieceAction.GET, new Uint8Array(Buffer.from(s.rootPieceId, 'hex')), pieces, s.pieceSize, null, orderKey.publicKey.raw) : [];
      const info: SegmentInfo = {
        index: s.index,
        plainSize: BigInt(s.plainSize),
        pieceSize: BigInt(s.pieceSize),
        inline: s.inline ? new Uint8Array(Buffer.from(s.inline, 'base64')) : new Uint8Array(0),
        scheme: scheme(s.profile),
        pieces: pieces.map((p, i) => ({
          order: { order: orders[i]!, nodeId: p.nodeId, addresses: records[chosen[i]!]?.addresses ?? [], pieceNumber: p.number },
          root: new Uint8Array(Buffer.from(p.root, 'hex')),
          size: BigInt(p.size)
        })),
        plainOffset: BigInt(plainOffset),
        ...(orderKey ? { orderPrivateKey: new Uint8Array(orderKey.raw) } : {}),
        ...(s.part ? { part: segmentPart(s.part) } : {})
      };
      const size = SegmentInfo.encode(info).length;
      const cost = 1 + varint(size) + size;
      if (out.segments.length > 0 && bytes + cost > MAX_MESSAGE_BYTES) break;
      out.segments.push(info);
      egress += pieces.length * s.pieceSize + info.inline.length;
      bytes += cost;
      if (out.segments.length >= limit) break;
    }
    // Counted (or refused) before the orders leave: a project past its month's egress gets none.
    if (opts.limits) await this.d.metadata.addEgress(project, egress, opts.limits);
    const next = out.segments.length ? out.segments[out.segments.length - 1]!.index + 1 : object.segmentCount;
    if (next < object.segmentCount) {
      out.more = true;
      out.nextSegment = next;
    }
    return out;
  }

  /**
   * A client met bad bytes from these nodes for a segment of one of its objects: each named node
   * that holds a piece of that segment has that piece audited next. Nodes that hold none are
   * ignored, so a report cannot aim audits elsewhere.
   */
  async reportPieces(project: string, bucket: string, key: string, index: number, nodeIds: readonly string[], reason: string): Promise<void> {
    if (nodeIds.length === 0 || nodeIds.length > MAX_REPORTED_NODES) {
      throw new MetadataError('PROTOCOL_MALFORMED', `a report names 1 to ${MAX_REPORTED_NODES} nodes`);
    }
    const found = await this.d.metadata.objectSegment(project, bucket, key, index);
    if (!found) throw new MetadataError('OBJECT_NOT_FOUND', `no segment ${index} of ${key.slice(0, 200)} in bucket ${bucket}`);
    for (const nodeId of new Set(nodeIds)) {
      const piece = found.segment.pieces.find((p) => p.nodeId === nodeId);
      if (!piece) continue;
      this.d.log.warn({ node: nodeId, segment: found.key.slice(0, 48), piece: piece.number, reason: reason.slice(0, 200) }, 'a client reported a bad piece; it is audited next');
      await this.d.suspects?.reportSuspect(nodeId, found.key, piece.number, reason.slice(0, 200));
    }
  }

  /** NO_SUCH_UPLOAD unless the stream is a multipart upload of this project. */
  /** An upload in progress of `project`, and of `bucket`/`key` when they are named (review 17 L2); NO_SUCH_UPLOAD otherwise. */
  private async ownUpload(project: string, uploadId: string, named?: { bucket: string; key: string }): Promise<void> {
    let place: { project: string; bucket: string; key: string } | undefined;
    try {
      place = await this.d.metadata.pendingPlace(uploadId);
    } catch {
      place = undefined;
    }
    const elsewhere = named !== undefined && named.key !== '' && (named.bucket !== place?.bucket || named.key !== place.key);
    if (place?.project !== project || elsewhere) throw new MetadataError('NO_SUCH_UPLOAD', `no multipart upload ${uploadId.slice(0, 32)} in progress (never begun, completed, aborted or expired)`);
  }

  /** Removes the metadata now; asks the nodes to delete in the background (GC catches misses). */
  async deleteObject(project: string, bucket: string, key: string): Promise<void> {
    this.deleteFromNodes(await this.d.metadata.deleteObject(project, bucket, key));
  }

  /** Asks the nodes holding these segments' pieces to delete them, in the background. */
  private deleteFromNodes(segments: { rootPieceId: string; pieces: SegmentPiece[] }[]): void {
    if (segments.every((s) => s.pieces.length === 0)) return;
    if (this.deleteWaiters.length >= BACKGROUND_DELETES.queued) {
      if (this.deletesLeftToGc++ % 1000 === 0) this.d.log.warn({ leftToGc: this.deletesLeftToGc }, 'node deletes queue full: garbage collection removes these pieces later');
      return;
    }
    const work = (async () => {
      if (this.deletesRunning >= BACKGROUND_DELETES.running) await new Promise<void>((resolve) => this.deleteWaiters.push(resolve));
      else this.deletesRunning++;
      try {
        for (const s of segments) {
          const root = new Uint8Array(Buffer.from(s.rootPieceId, 'hex'));
          await Promise.all(s.pieces.map((p) => this.deleteFromNode(root, p)));
        }
      } finally {
        // The slot passes to the next object waiting, or is given back.
        const next = this.deleteWaiters.shift();
        if (next) next();
        else this.deletesRunning--;
      }
    })();
    this.pendingDeletes.add(work);
    void work.finally(() => this.pendingDeletes.delete(work));
  }

  private async deleteFromNode(root: Uint8Array, piece: SegmentPiece): Promise<void> {
    try {
      const [order] = await this.d.issuer.issue(PieceAction.DELETE, root, [piece], 0);
      const rec = await this.d.registry.get(piece.nodeId);
      if (!rec || rec.addresses.length === 0) return;
      // As audits and repair do (connectNode): dialable addresses only, DNS names resolved with
      // c-ares, never getaddrinfo on the threadpool with a name the node chose.
      const signal = AbortSignal.timeout(10_000);
      const connection = await connectNode(this.d.libp2p, piece.nodeId, rec.addresses, signal);
      const stream = await connection.newStream(PROTOCOL_DELETE, { signal });
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
    const limits = this.o.projectLimits ? effectiveLimits(this.o.projectLimits, key.limits) : undefined;
    if (req.createBucket) {
      await md.createBucket(project, req.createBucket.name);
      return {};
    }
    if (req.listBuckets) return { listBuckets: { buckets: (await md.listBuckets(project)).map((b) => ({ name: b.name, created: BigInt(b.createdAt) })) } };
    if (req.deleteBucket) {
      this.deleteFromNodes(await md.deleteBucket(project, req.deleteBucket.name));
      return {};
    }
    if (req.beginObject) {
      const b = req.beginObject;
      const o = await md.beginObject(project, b.bucket, b.key, {
        metadata: Buffer.from(b.metadata).toString('base64'),
        encryption: b.encryption.slice(0, 256),
        encryptedKey: Buffer.from(b.encryptedKey ?? new Uint8Array(0)).toString('base64'),
        expiresAt: b.expires > 0n ? Number(b.expires) : null,
        multipart: b.multipart === true
      });
      return { beginObject: { streamId: o.streamId, scheme: scheme(this.o.profile), maxInline: BigInt(this.o.maxInlineBytes) } };
    }
    // Operations on an upload in progress name it by its stream id: only the project that began
    // it may go on with it (another project's key is told, like anyone, that there is no such upload).
    const streamId =
      req.beginSegment?.streamId ?? req.replacementOrders?.streamId ?? req.commitSegment?.streamId ?? req.commitInlineSegment?.streamId ?? req.commitObject?.streamId ?? req.commitPart?.partStreamId;
    if (streamId !== undefined && (await md.pendingPlace(streamId)).project !== project) {
      throw new MetadataError('OBJECT_NOT_PENDING', `no upload in progress for stream ${streamId.slice(0, 32)} (never begun, committed or expired)`);
    }
    if (req.beginSegment) {
      const b = req.beginSegment;
      return { beginSegment: await this.beginSegment(b.streamId, b.index, Number(b.pieceSize), null, limits) };
    }
    if (req.replacementOrders) {
      const r = req.replacementOrders;
      return { replacementOrders: await this.replacementOrders(r.streamId, r.index, r.pieceNumbers, null, limits) };
    }
    if (req.commitSegment) {
      const c = req.commitSegment;
      await md.commitSegment(c.streamId, c.index, Number(c.plainSize), await this.agreedPieces(c.streamId, c.index, c.receipts, c.pieceHashes));
      return {};
    }
    if (req.commitInlineSegment) {
      const c = req.commitInlineSegment;
      await md.commitInlineSegment(c.streamId, c.index, Number(c.plainSize), c.data, this.o.maxInlineBytes, limits);
      return {};
    }
    if (req.commitObject) {
      const { object, replaced } = await md.commitObject(req.commitObject.streamId, req.commitObject.metadata !== undefined ? { metadata: Buffer.from(req.commitObject.metadata).toString('base64') } : {});
      if (replaced.length) this.d.log.info({ pieces: replaced.length }, 'object replaced; its old pieces are left to garbage collection');
      return { commitObject: { size: BigInt(object.size), committed: BigInt(object.committedAt ?? 0) } };
    }
    if (req.beginPart) {
      await this.ownUpload(project, req.beginPart.streamId, req.beginPart);
      const part = await md.beginPart(req.beginPart.streamId, req.beginPart.partNumber);
      return {
        beginPart: {
          partStreamId: part.streamId,
          scheme: scheme(this.o.profile),
          maxInline: BigInt(this.o.maxInlineBytes),
          encryptedKey: new Uint8Array(Buffer.from(part.encryptedKey ?? '', 'base64'))
        }
      };
    }
    if (req.commitPart) {
      const c = req.commitPart;
      const { part, replaced } = await md.commitPart(c.partStreamId, { salt: Buffer.from(c.salt).toString('hex'), info: Buffer.from(c.info).toString('base64') });
      if (replaced.length) this.d.log.info({ pieces: replaced.length }, 'part uploaded again; the earlier pieces are left to garbage collection');
      return { commitPart: { part: partInfo(part) } };
    }
    if (req.listParts) {
      await this.ownUpload(project, req.listParts.streamId, req.listParts);
      // Cut to one frame (review 17 M6): the envelope, the largest wrapped key and metadata an upload
      // can hold, and `more` are set aside.
      // (The store takes base64 of up to ceil(MAX / 3) * 4 characters: up to 2 bytes past MAX.)
      const fixed = 1 + 5 + fieldBytes(Math.ceil(MAX_WRAPPED_KEY_BYTES / 3) * 3) + fieldBytes(Math.ceil(MAX_METADATA_BYTES / 3) * 3) + 2;
      const page = await md.listParts(req.listParts.streamId, { after: req.listParts.after, limit: req.listParts.limit }, { bytes: MAX_MESSAGE_BYTES - fixed, size: (p) => fieldBytes(PartInfo.encode(partInfo(p)).length) });
      return { listParts: { parts: page.parts.map(partInfo), more: page.more, encryptedKey: new Uint8Array(Buffer.from(page.encryptedKey, 'base64')), metadata: new Uint8Array(Buffer.from(page.metadata, 'base64')) } };
    }
    if (req.completeMultipart) {
      const c = req.completeMultipart;
      const metadata = c.metadata.length > 0 ? Buffer.from(c.metadata).toString('base64') : undefined;
      const done = await md.completeMultipart(project, c.bucket, c.key, c.streamId, c.parts.map((p) => ({ number: p.number, streamId: `${c.streamId}.${Buffer.from(p.partTag).toString('hex')}` })), metadata !== undefined ? { metadata } : {});
      if (done.replaced.length) this.d.log.info({ pieces: done.replaced.length }, 'multipart upload completed; unused parts and a replaced object are left to garbage collection');
      return { completeMultipart: { object: objectInfo(done.object), already: done.already } };
    }
    if (req.abortMultipart) {
      await this.ownUpload(project, req.abortMultipart.streamId, req.abortMultipart);
      this.deleteFromNodes(await md.abortMultipart(req.abortMultipart.streamId));
      return {};
    }
    if (req.listUploads) {
      const l = req.listUploads;
      const listing = (u: UploadListing): UploadInfo => ({ key: u.key, streamId: u.streamId, created: BigInt(u.createdAt) });
      const page = await md.listUploads(
        project,
        l.bucket,
        { prefix: l.prefix, keyMarker: l.keyMarker, uploadMarker: l.uploadMarker, limit: l.limit },
        { bytes: MAX_MESSAGE_BYTES - (1 + 5) - 2, size: (u) => fieldBytes(UploadInfo.encode(listing(u)).length) }
      );
      return { listUploads: { uploads: page.uploads.map(listing), more: page.more } };
    }
    if (req.getObject) {
      const g = req.getObject;
      const opts = { firstSegment: g.firstSegment, offset: Number(g.offset ?? 0n), segmentLimit: g.segmentLimit, statOnly: g.statOnly, allPieces: g.allPieces, partNumber: g.partNumber, limits };
      return { getObject: await this.getObject(project, g.bucket, g.key, opts) };
    }
    if (req.listObjects) {
      const l = req.listObjects;
      // The page also ends before the answer outgrows one frame: the MetainfoResponse envelope (a
      // tag, a length of at most 5 bytes) and a next_cursor as long as the longest key are set
      // aside; each object or prefix costs its field tag, length and body.
      const infos = new Map<ObjectRecord, ObjectInfo>();
      const info = (o: ObjectRecord): ObjectInfo => infos.get(o) ?? infos.set(o, objectInfo(o)).get(o)!;
      const field = fieldBytes;
      const page = await md.listObjects(
        project,
        l.bucket,
        { prefix: l.prefix, delimiter: l.delimiter || undefined, cursor: l.cursor || undefined, limit: l.limit || undefined },
        { bytes: MAX_MESSAGE_BYTES - (1 + 5) - field(MAX_KEY_BYTES), size: (e) => field(typeof e === 'string' ? Buffer.byteLength(e) : ObjectInfo.encode(info(e)).length) }
      );
      return { listObjects: { objects: page.objects.map(info), prefixes: page.prefixes, nextCursor: page.nextCursor ?? '' } };
    }
    if (req.reportPieces) {
      await this.reportPieces(project, req.reportPieces.bucket, req.reportPieces.key, req.reportPieces.segment, req.reportPieces.nodeIds, req.reportPieces.reason);
      return {};
    }
    if (req.deleteObject) {
      await this.deleteObject(project, req.deleteObject.bucket, req.deleteObject.key);
      return {};
    }
    throw new MetadataError('METAINFO_NO_OPERATION', 'the request names no operation');
  }
}
