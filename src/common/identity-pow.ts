// Identity proof of work, as Storj's: a node id costs work to make, so a satellite that asks for
// difficulty d makes each Sybil identity cost about 2^d key generations. The difficulty of a peer
// id is the number of trailing zero bits of SHA-256 over the peer id's binary form (its
// multihash bytes, the same bytes the base58 text encodes), counting from the least significant
// bit of the last byte of the hash backwards (PROTOCOL.md, "Identity difficulty").
import { createHash } from 'node:crypto';
import { access, chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import { StowageError } from './errors.js';
import { IDENTITY_FILE } from './identity.js';

/** Trailing zero bits of SHA-256(peer id bytes); 256 for an all-zero hash. */
export function identityDifficulty(peerId: PeerId | string): number {
  const id = typeof peerId === 'string' ? peerIdFromString(peerId) : peerId;
  const hash = createHash('sha256').update(id.toMultihash().bytes).digest();
  let bits = 0;
  for (let i = hash.length - 1; i >= 0; i--) {
    const byte = hash[i]!;
    if (byte === 0) {
      bits += 8;
      continue;
    }
    for (let b = byte; (b & 1) === 0; b >>= 1) bits++;
    break;
  }
  return bits;
}

/** A peer id below the difficulty a satellite asks for. */
export class IdentityDifficultyError extends StowageError {
  constructor(
    readonly difficulty: number,
    readonly required: number
  ) {
    super('IDENTITY_DIFFICULTY_TOO_LOW', `this node's identity has difficulty ${difficulty}; the satellite requires ${required} (make a new identity with that much work)`);
  }
}

/** Throws IdentityDifficultyError unless `peerId` has at least `required` difficulty (0 accepts all). */
export function checkIdentityDifficulty(peerId: PeerId | string, required: number): void {
  if (required <= 0) return;
  const difficulty = identityDifficulty(peerId);
  if (difficulty < required) throw new IdentityDifficultyError(difficulty, required);
}

export interface GrindOptions {
  signal?: AbortSignal;
  /** Called every `every` tries with how many were made. */
  onProgress?: (tries: number) => void;
}

/** Makes Ed25519 keys until one's peer id has at least `difficulty`; about 2^difficulty tries. */
export async function grindIdentity(difficulty: number, options: GrindOptions = {}): Promise<{ key: PrivateKey; tries: number }> {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 64) throw new StowageError('IDENTITY_DIFFICULTY_INVALID', `difficulty must be 0 to 64, got ${difficulty}`);
  for (let tries = 1; ; tries++) {
    const key = await generateKeyPair('Ed25519');
    if (identityDifficulty(peerIdFromPrivateKey(key)) >= difficulty) return { key, tries };
    if (tries % 4096 === 0) {
      options.onProgress?.(tries);
      options.signal?.throwIfAborted();
      // Lets timers and I/O run between batches.
      await new Promise((r) => setImmediate(r));
    }
  }
}

/**
 * Writes `key` as the identity of the data directory `dir` (the file loadOrCreateIdentity reads),
 * mode 0600; refuses to replace an identity that is there.
 */
export async function writeIdentity(dir: string, key: PrivateKey): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, IDENTITY_FILE);
  const exists = await access(file).then(
    () => true,
    () => false
  );
  if (exists) throw new StowageError('IDENTITY_EXISTS', `${file} exists: move it away to make a new identity`);
  const tmp = `${file}.tmp`;
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600, flush: true });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
