// Signatures over a domain tag and a canonical encoding. The signed bytes are carried as they were
// signed (SignedOrderLimit.limit, SignedPieceReceipt.receipt); a verifier checks the signature over
// DOMAIN || bytes, decodes, and requires that encoding the decoded message gives the same bytes,
// so a message has exactly one signed form and unknown fields cannot ride along.
import { peerIdFromString } from '@libp2p/peer-id';
import type { PrivateKey, PublicKey } from '@libp2p/interface';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { OrderLimit, PieceReceipt, type SignedOrderLimit, type SignedPieceReceipt } from './generated/node.js';

const encoder = new TextEncoder();
export const ORDER_LIMIT_DOMAIN = encoder.encode('stowage/order-limit/v1\0');
export const PIECE_RECEIPT_DOMAIN = encoder.encode('stowage/piece-receipt/v1\0');

function tagged(domain: Uint8Array, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(domain.length + bytes.length);
  out.set(domain, 0);
  out.set(bytes, domain.length);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
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

export async function signOrderLimit(key: PrivateKey, limit: OrderLimit): Promise<SignedOrderLimit> {
  const bytes = OrderLimit.encode(limit);
  return { limit: bytes, signature: new Uint8Array(await key.sign(tagged(ORDER_LIMIT_DOMAIN, bytes))) };
}

/** Checks the signature by the satellite the limit names and returns the decoded limit. */
export async function verifyOrderLimit(signed: SignedOrderLimit | undefined): Promise<OrderLimit> {
  if (!signed || signed.limit.length === 0) throw new ProtocolError(ProtocolErrorCode.Malformed, 'no order limit');
  let limit: OrderLimit;
  try {
    limit = OrderLimit.decode(signed.limit);
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `order limit does not decode: ${(err as Error).message}`, { cause: err });
  }
  if (!sameBytes(OrderLimit.encode(limit), signed.limit)) {
    throw new ProtocolError(ProtocolErrorCode.NotCanonical, 'order limit bytes are not its canonical encoding');
  }
  const key = publicKeyOf(limit.satelliteId);
  if (!(await key.verify(tagged(ORDER_LIMIT_DOMAIN, signed.limit), signed.signature))) {
    throw new ProtocolError(ProtocolErrorCode.BadSignature, `order limit signature does not verify for satellite ${limit.satelliteId}`);
  }
  return limit;
}

export async function signPieceReceipt(key: PrivateKey, receipt: PieceReceipt): Promise<SignedPieceReceipt> {
  const bytes = PieceReceipt.encode(receipt);
  return { receipt: bytes, signature: new Uint8Array(await key.sign(tagged(PIECE_RECEIPT_DOMAIN, bytes))) };
}

/** Checks the signature by the node the receipt names and returns the decoded receipt. */
export async function verifyPieceReceipt(signed: SignedPieceReceipt | undefined): Promise<PieceReceipt> {
  if (!signed || signed.receipt.length === 0) throw new ProtocolError(ProtocolErrorCode.Malformed, 'no receipt');
  let receipt: PieceReceipt;
  try {
    receipt = PieceReceipt.decode(signed.receipt);
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `receipt does not decode: ${(err as Error).message}`, { cause: err });
  }
  if (!sameBytes(PieceReceipt.encode(receipt), signed.receipt)) {
    throw new ProtocolError(ProtocolErrorCode.NotCanonical, 'receipt bytes are not its canonical encoding');
  }
  if (!(await publicKeyOf(receipt.nodeId).verify(tagged(PIECE_RECEIPT_DOMAIN, signed.receipt), signed.signature))) {
    throw new ProtocolError(ProtocolErrorCode.BadSignature, `receipt signature does not verify for node ${receipt.nodeId}`);
  }
  return receipt;
}
