// Signatures over a domain tag and a canonical encoding. The signed bytes are carried as they were
// signed (SignedOrderLimit.limit, SignedPieceReceipt.receipt); a verifier checks the signature over
// DOMAIN || bytes, decodes, and requires that encoding the decoded message gives the same bytes,
// so a message has exactly one signed form and unknown fields cannot ride along.
import '../shims/protons-uint64.js';
import { createPrivateKey, createPublicKey, sign as signWithKeyObject, verify as verifyWithKeyObject, type KeyObject } from 'node:crypto';
import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromString } from '@libp2p/peer-id';
import type { PrivateKey, PublicKey } from '@libp2p/interface';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { BandwidthOrder, OrderLimit, PieceAction, PieceHash, PieceReceipt, Retain, type RetainRequest, type SignedBandwidthOrder, type SignedOrderLimit, type SignedPieceHash, type SignedPieceReceipt } from './generated/node.js';

const encoder = new TextEncoder();
export const ORDER_LIMIT_DOMAIN = encoder.encode('stowage/order-limit/v1\0');
export const PIECE_RECEIPT_DOMAIN = encoder.encode('stowage/piece-receipt/v1\0');
export const RETAIN_DOMAIN = encoder.encode('stowage/retain/v1\0');
export const PIECE_HASH_DOMAIN = encoder.encode('stowage/piece-hash/v1\0');
export const BANDWIDTH_ORDER_DOMAIN = encoder.encode('stowage/bandwidth-order/v1\0');

function tagged(domain: Uint8Array, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(domain.length + bytes.length);
  out.set(domain, 0);
  out.set(bytes, domain.length);
  return out;
}

/** Byte-for-byte equality (ids, roots). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** The public key inside an Ed25519 peer id string. */
export function publicKeyOf(peerId: string): PublicKey {
  let key: PublicKey | undefined;
  try {
    key = peerIdFromString(peerId).publicKey;
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `'${peerId.slice(0, 80)}' is not a peer id`, { cause: err });
  }
  if (!key) throw new ProtocolError(ProtocolErrorCode.Malformed, `peer id ${peerId} does not carry its public key`);
  return key;
}

interface Codec<T> {
  encode(message: Partial<T>): Uint8Array<ArrayBuffer>;
  decode(bytes: Uint8Array): T;
}

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const keyObjects = new WeakMap<PrivateKey, KeyObject>();

/**
 * Ed25519 signature of `data`. @libp2p/crypto rebuilds a node:crypto key from JWK at every call
 * (663 against 192 us per signature, measured): the satellite signs an order per piece per
 * transfer, so the key object is built once per key here. Same bytes (Ed25519 is deterministic).
 */
async function signBytes(key: PrivateKey, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (key.type !== 'Ed25519') return new Uint8Array(await key.sign(data));
  let ko = keyObjects.get(key);
  if (!ko) {
    ko = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, key.raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    keyObjects.set(key, ko);
  }
  return new Uint8Array(signWithKeyObject(null, data, ko));
}

/** SPKI DER prefix of an Ed25519 public key; the 32 raw bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Public keys seen lately (satellites, uploaders), newest last: a few hundred bytes each. */
const publicKeyObjects = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE = 4096;

/**
 * Checks an Ed25519 signature with a node:crypto key built once per key (@libp2p/crypto rebuilds
 * one from JWK at every call: a node checks an order, a piece hash and allowances per transfer,
 * mostly from one satellite). The same OpenSSL check as @libp2p/crypto's; other key types go there.
 */
async function verifyBytes(key: PublicKey, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (key.type !== 'Ed25519') return key.verify(data, signature);
  const id = Buffer.from(key.raw).toString('hex');
  try {
    let ko = publicKeyObjects.get(id);
    if (ko) {
      publicKeyObjects.delete(id);
    } else {
      ko = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, key.raw]), format: 'der', type: 'spki' });
      if (publicKeyObjects.size >= PUBLIC_KEY_CACHE) publicKeyObjects.delete(publicKeyObjects.keys().next().value!);
    }
    publicKeyObjects.set(id, ko);
    return verifyWithKeyObject(null, data, ko, signature);
  } catch {
    // A key OpenSSL does not take, or a signature of the wrong length: does not verify.
    return false;
  }
}

async function sign<T>(key: PrivateKey, codec: Codec<T>, domain: Uint8Array, message: T): Promise<{ bytes: Uint8Array<ArrayBuffer>; signature: Uint8Array<ArrayBuffer> }> {
  const bytes = codec.encode(message);
  return { bytes, signature: await signBytes(key, tagged(domain, bytes)) };
}

/** Decodes signed bytes, requires the canonical encoding, and checks the signer's signature. */
async function verify<T>(
  codec: Codec<T>,
  domain: Uint8Array,
  bytes: Uint8Array | undefined,
  signature: Uint8Array,
  signerOf: (message: T) => string | PublicKey,
  what: string,
  beforeCrypto?: (message: T) => void
): Promise<T> {
  if (!bytes || bytes.length === 0) throw new ProtocolError(ProtocolErrorCode.Malformed, `no ${what}`);
  let message: T;
  try {
    message = codec.decode(bytes);
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `${what} does not decode: ${(err as Error).message}`, { cause: err });
  }
  beforeCrypto?.(message);
  if (!equalBytes(codec.encode(message), bytes)) {
    throw new ProtocolError(ProtocolErrorCode.NotCanonical, `${what} bytes are not its canonical encoding`);
  }
  const signer = signerOf(message);
  const key = typeof signer === 'string' ? publicKeyOf(signer) : signer;
  if (!(await verifyBytes(key, tagged(domain, bytes), signature))) {
    throw new ProtocolError(ProtocolErrorCode.BadSignature, `${what} signature does not verify for ${typeof signer === 'string' ? signer : 'the uploader key'}`);
  }
  return message;
}

export async function signOrderLimit(key: PrivateKey, limit: OrderLimit): Promise<SignedOrderLimit> {
  const { bytes, signature } = await sign(key, OrderLimit, ORDER_LIMIT_DOMAIN, limit);
  return { limit: bytes, signature };
}

/**
 * Checks the signature by the satellite the limit names and returns the decoded limit.
 * `beforeCrypto` runs on the decoded limit before any other check (a trust check, say).
 */
export async function verifyOrderLimit(signed: SignedOrderLimit | undefined, beforeCrypto?: (limit: OrderLimit) => void): Promise<OrderLimit> {
  return verify(OrderLimit, ORDER_LIMIT_DOMAIN, signed?.limit, signed?.signature ?? new Uint8Array(0), (l) => l.satelliteId, 'order limit', beforeCrypto);
}

export async function signPieceReceipt(key: PrivateKey, receipt: PieceReceipt): Promise<SignedPieceReceipt> {
  const { bytes, signature } = await sign(key, PieceReceipt, PIECE_RECEIPT_DOMAIN, receipt);
  return { receipt: bytes, signature };
}

/** Checks the signature by the node the receipt names and returns the decoded receipt. */
export async function verifyPieceReceipt(signed: SignedPieceReceipt | undefined): Promise<PieceReceipt> {
  return verify(PieceReceipt, PIECE_RECEIPT_DOMAIN, signed?.receipt, signed?.signature ?? new Uint8Array(0), (r) => r.nodeId, 'receipt');
}

export async function signRetain(key: PrivateKey, retain: Retain): Promise<RetainRequest> {
  const { bytes, signature } = await sign(key, Retain, RETAIN_DOMAIN, retain);
  return { request: bytes, signature };
}

/** Checks the signature by the satellite the request names; `beforeCrypto` runs first (trust). */
export async function verifyRetain(signed: RetainRequest | undefined, beforeCrypto?: (retain: Retain) => void): Promise<Retain> {
  return verify(Retain, RETAIN_DOMAIN, signed?.request, signed?.signature ?? new Uint8Array(0), (r) => r.satelliteId, 'retain request', beforeCrypto);
}

/** The uploader signs the root of the bytes it sent with its per-segment key (PROTOCOL.md). */
export async function signPieceHash(key: PrivateKey, hash: PieceHash): Promise<SignedPieceHash> {
  const { bytes, signature } = await sign(key, PieceHash, PIECE_HASH_DOMAIN, hash);
  return { hash: bytes, signature };
}

/** The public half of an uploader key as an order limit carries it (32 raw bytes). */
export function uplinkKeyOf(raw: Uint8Array): PublicKey {
  if (raw.length !== 32) throw new ProtocolError(ProtocolErrorCode.Malformed, `an uploader key is 32 bytes, got ${raw.length}`);
  try {
    return publicKeyFromRaw(raw);
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, 'the uploader key is not an Ed25519 public key', { cause: err });
  }
}

/** Checks a piece hash against the uploader key (32 raw bytes) the order limit named. */
export async function verifyPieceHash(signed: SignedPieceHash | undefined, uplinkPublicKey: Uint8Array): Promise<PieceHash> {
  const key = uplinkKeyOf(uplinkPublicKey);
  return verify(PieceHash, PIECE_HASH_DOMAIN, signed?.hash, signed?.signature ?? new Uint8Array(0), () => key, 'piece hash');
}

/** Order limits whose downloader signs bandwidth orders (egress the node is paid for). */
export function takesBandwidthOrders(action: PieceAction): boolean {
  return action === PieceAction.GET || action === PieceAction.REPAIR_GET;
}

/** The downloader allows `amount` bytes in all under one GET or REPAIR_GET limit (PROTOCOL.md, Egress). */
export async function signBandwidthOrder(key: PrivateKey, order: BandwidthOrder): Promise<SignedBandwidthOrder> {
  const { bytes, signature } = await sign(key, BandwidthOrder, BANDWIDTH_ORDER_DOMAIN, order);
  return { order: bytes, signature };
}

/**
 * Checks a bandwidth order against the (already verified) order limit it is given under: a limit
 * that takes orders, the limit's serial, an amount within its byte limit, the signature of the
 * per-request key the limit names. Returns the decoded order.
 */
export async function verifyBandwidthOrder(signed: SignedBandwidthOrder | undefined, limit: OrderLimit): Promise<BandwidthOrder> {
  if (!takesBandwidthOrders(limit.action)) throw new ProtocolError(ProtocolErrorCode.OrderMismatch, `a ${String(limit.action)} order limit takes no bandwidth orders`);
  const key = uplinkKeyOf(limit.uplinkPublicKey);
  return verify(BandwidthOrder, BANDWIDTH_ORDER_DOMAIN, signed?.order, signed?.signature ?? new Uint8Array(0), () => key, 'bandwidth order', (order) => {
    if (!equalBytes(order.serialNumber, limit.serialNumber)) throw new ProtocolError(ProtocolErrorCode.OrderMismatch, 'the bandwidth order names another serial than its order limit');
    if (order.amount > limit.byteLimit) throw new ProtocolError(ProtocolErrorCode.OverLimit, `the bandwidth order allows ${order.amount} bytes, the limit ${limit.byteLimit}`);
  });
}
