// protons-runtime 7.1.2 encodes a uint64 whose low 32 bits are 2^31 or more (2-4 GiB, and every
// such offset beyond) as garbage: LongBits keeps the low word signed, so its encoded length comes
// out as 1 byte and the writer stops after one. Object sizes and segment offsets of 2-4 GiB broke
// whole metainfo answers ("invalid wire type" at the client). This keeps both words unsigned, as
// the class's own docs say they are. LongBits is not exported, so it is reached by the file beside
// the package's entry point (the same module instance the writer uses). Imported by the protocol's
// modules before any encoding; a no-op once fixed upstream.
export {};

interface LongBitsLike {
  lo: number;
  hi: number;
}
interface LongBitsClass {
  fromBigInt(value: bigint): LongBitsLike;
  __stowageUnsigned?: boolean;
}

function entryUrl(): string {
  try {
    return import.meta.resolve('protons-runtime');
  } catch {
    return new URL('../../node_modules/protons-runtime/dist/src/index.js', import.meta.url).href;
  }
}

const { LongBits } = (await import(new URL('./utils/longbits.js', entryUrl()).href)) as { LongBits: LongBitsClass };
if (!LongBits.__stowageUnsigned) {
  const fromBigInt = LongBits.fromBigInt.bind(LongBits);
  LongBits.fromBigInt = (value: bigint): LongBitsLike => {
    const bits = fromBigInt(value);
    if (bits.lo < 0 || bits.hi < 0) {
      // Never the shared zero: it has lo = hi = 0.
      bits.lo >>>= 0;
      bits.hi >>>= 0;
    }
    return bits;
  };
  LongBits.__stowageUnsigned = true;
}
