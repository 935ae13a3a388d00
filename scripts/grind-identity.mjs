// Makes a storage node identity with proof of work, for satellites that set
// minIdentityDifficulty (PROTOCOL.md, "Identity difficulty"), before the node's first start:
//   npm run build:ts && node scripts/grind-identity.mjs --data-dir ./node1 --difficulty 24
// Writes DATA_DIR/identity.key (0600); refuses to replace one that is there. About 2^difficulty
// key generations (~5 000 a second on one core of a 2-core CI machine).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { grindIdentity, identityDifficulty, writeIdentity } from '../dist/common/identity-pow.js';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, difficulty: { type: 'string' } } });
const dir = values['data-dir'];
const difficulty = Number(values.difficulty ?? 'NaN');
if (!dir || !Number.isInteger(difficulty)) {
  console.error('usage: node scripts/grind-identity.mjs --data-dir DIR --difficulty N');
  process.exit(2);
}
if (existsSync(join(dir, 'identity.key'))) {
  console.error(`${join(dir, 'identity.key')} exists: move it away to make a new identity`);
  process.exit(1);
}
const started = Date.now();
const { key, tries } = await grindIdentity(difficulty, {
  onProgress: (n) => process.stderr.write(`\r${n} tries, ${Math.round((n * 1000) / (Date.now() - started))}/s`)
});
await writeIdentity(dir, key);
const id = peerIdFromPrivateKey(key);
process.stderr.write('\n');
console.log(`${id.toString()} (difficulty ${identityDifficulty(id)}, ${tries} tries in ${((Date.now() - started) / 1000).toFixed(1)} s) written to ${dir}`);
