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
