// Signatures made with the cached node:crypto key are the ones @libp2p/crypto makes (Ed25519 is
// deterministic) and verify with it, for many keys and messages.
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { ORDER_LIMIT_DOMAIN, PieceAction, signOrderLimit, verifyOrderLimit } from '../../src/protocol/index.js';

it('signs order limits byte-identical to the libp2p signer, and they verify', async () => {
  for (let i = 0; i < 20; i++) {
    const key = await generateKeyPair('Ed25519');
    const limit = {
      serialNumber: new Uint8Array(randomBytes(16)),
      satelliteId: peerIdFromPrivateKey(key).toString(),
      nodeId: 'node',
      pieceId: new Uint8Array(randomBytes(32)),
      action: PieceAction.GET,
      byteLimit: BigInt(i * 1000),
      pieceExpiration: 0n,
      orderExpiration: 1n,
      orderCreation: 1n,
      uplinkPublicKey: new Uint8Array(0)
    };
    const signed = await signOrderLimit(key, limit);
    const expected = await key.sign(Buffer.concat([ORDER_LIMIT_DOMAIN, signed.limit]));
    expect(Buffer.from(signed.signature).equals(Buffer.from(expected))).toBe(true);
    await expect(verifyOrderLimit(signed)).resolves.toMatchObject({ byteLimit: BigInt(i * 1000) });
  }
});

it('the cached verifying key refuses what @libp2p/crypto refuses: other signers, flipped bits, short signatures', async () => {
  const keys = await Promise.all(Array.from({ length: 6 }, () => generateKeyPair('Ed25519')));
  for (let round = 0; round < 3; round++) {
    for (const [i, key] of keys.entries()) {
      const limit = {
        serialNumber: new Uint8Array(randomBytes(16)),
        satelliteId: peerIdFromPrivateKey(key).toString(),
        nodeId: 'node',
        pieceId: new Uint8Array(randomBytes(32)),
        action: PieceAction.PUT,
        byteLimit: BigInt(round * 100 + i),
        pieceExpiration: 0n,
        orderExpiration: 1n,
        orderCreation: 1n,
        uplinkPublicKey: new Uint8Array(0)
      };
      const signed = await signOrderLimit(key, limit);
      // Verified once (the key is cached from here), then every forgery against the cached key.
      await expect(verifyOrderLimit(signed)).resolves.toMatchObject({ byteLimit: limit.byteLimit });
      const other = keys[(i + 1) % keys.length]!;
      const byOther = await signOrderLimit(other, limit);
      await expect(verifyOrderLimit({ limit: signed.limit, signature: byOther.signature })).rejects.toMatchObject({ code: 'ORDER_BAD_SIGNATURE' });
      const flipped = new Uint8Array(signed.signature);
      flipped[(round * 7 + i) % flipped.length]! ^= 1 << (i % 8);
      await expect(verifyOrderLimit({ limit: signed.limit, signature: flipped })).rejects.toMatchObject({ code: 'ORDER_BAD_SIGNATURE' });
      await expect(verifyOrderLimit({ limit: signed.limit, signature: signed.signature.subarray(0, 63) })).rejects.toMatchObject({ code: 'ORDER_BAD_SIGNATURE' });
      // The same bytes under another satellite id: the key that id names, not a cached one.
      const moved = await signOrderLimit(key, { ...limit, satelliteId: peerIdFromPrivateKey(other).toString() });
      await expect(verifyOrderLimit(moved)).rejects.toMatchObject({ code: 'ORDER_BAD_SIGNATURE' });
    }
  }
});
