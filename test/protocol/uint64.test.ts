// Encoding of uint64 fields across the whole range, through the generated codecs (protons-runtime
// 7.1.2 broke values whose low 32 bits are 2^31 or more: object sizes and offsets of 2-4 GiB).
import { expect, it } from 'vitest';
import { ObjectInfo, SegmentInfo } from '../../src/protocol/index.js';

const values = [0n, 1n, 127n, 128n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 31n + 12345n, 3n * 2n ** 30n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 2n ** 31n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];

it('round-trips uint64 values in every range, 2^31 to 2^32 included', () => {
  for (const v of values) {
    const seg = SegmentInfo.decode(SegmentInfo.encode({ index: 7, plainSize: v, pieceSize: 1n, inline: new Uint8Array(0), pieces: [], plainOffset: v }));
    expect(seg.plainSize).toBe(v);
    expect(seg.plainOffset).toBe(v);
    const info = ObjectInfo.decode(ObjectInfo.encode({ bucket: 'b', key: 'k', size: v, created: 1n, committed: 2n, segmentCount: 1, metadata: new Uint8Array(0), encryption: '', expires: v }));
    expect(info.size).toBe(v);
    expect(info.expires).toBe(v);
  }
});
