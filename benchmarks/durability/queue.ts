// The simulation's two priority queues, on typed arrays so a long run allocates nothing per event:
// the event queue (simulated time, then insertion order, so events at one instant run in the order
// they were scheduled and a seed always replays the same run) and the repair queue (fewest healthy
// pieces first, then the segment: the order of the satellite's LevelRepairQueue, whose keys are the
// zero-padded healthy count then the segment key).

/** A binary min-heap of (key, insertion order) with two integer payloads per entry. */
export class Heap {
  private keys: Float64Array;
  private seqs: Float64Array;
  private as: Int32Array;
  private bs: Int32Array;
  /** Entry slots in heap order. */
  private heap: Int32Array;
  private free: Int32Array;
  private freeCount = 0;
  private used = 0;
  private n = 0;
  private nextSeq = 0;
  /** The entry pop() took: its key and payloads. */
  key = 0;
  a = 0;
  b = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.as = new Int32Array(capacity);
    this.bs = new Int32Array(capacity);
    this.heap = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** The smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.n === 0 ? Infinity : this.keys[this.heap[0]!]!;
  }

  push(key: number, a = 0, b = 0): void {
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount]!;
    else {
      if (this.used === this.keys.length) this.grow();
      slot = this.used++;
    }
    this.keys[slot] = key;
    this.seqs[slot] = this.nextSeq++;
    this.as[slot] = a;
    this.bs[slot] = b;
    let i = this.n++;
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.less(slot, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = slot;
  }

  /** Takes the smallest entry into key/a/b; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const heap = this.heap;
    const top = heap[0]!;
    this.key = this.keys[top]!;
    this.a = this.as[top]!;
    this.b = this.bs[top]!;
    this.free[this.freeCount++] = top;
    const last = heap[--this.n]!;
    if (this.n > 0) {
      let i = 0;
      const n = this.n;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.less(heap[r]!, heap[l]!) ? r : l;
        if (!this.less(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return true;
  }

  private less(x: number, y: number): boolean {
    const kx = this.keys[x]!;
    const ky = this.keys[y]!;
    return kx < ky || (kx === ky && this.seqs[x]! < this.seqs[y]!);
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const f64 = (old: Float64Array): Float64Array => {
      const out = new Float64Array(cap);
      out.set(old);
      return out;
    };
    const i32 = (old: Int32Array): Int32Array => {
      const out = new Int32Array(cap);
      out.set(old);
      return out;
    };
    this.keys = f64(this.keys);
    this.seqs = f64(this.seqs);
    this.as = i32(this.as);
    this.bs = i32(this.bs);
    this.heap = i32(this.heap);
    this.free = i32(this.free);
  }
}

/** Events by simulated time (ms), ties in the order they were scheduled. */
export class EventQueue {
  private readonly heap = new Heap(4096);
  /** The event pop() took. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;

  get size(): number {
    return this.heap.size;
  }

  schedule(time: number, kind: number, a = 0, b = 0): void {
    if (!Number.isFinite(time)) return;
    // Kind and the first payload share one int: kinds are few, payloads (node or segment indices) < 2^24.
    this.heap.push(time, kind | (a << 5), b);
  }

  pop(): boolean {
    if (!this.heap.pop()) return false;
    this.time = this.heap.key;
    this.kind = this.heap.a & 31;
    this.a = this.heap.a >>> 5;
    this.b = this.heap.b;
    return true;
  }
}

/** Highest segment index the repair queue's key can hold. */
const SEGMENT_SPAN = 2 ** 24;

/** Segments to repair, fewest healthy pieces first, then by segment; entries carry a version so a moved or removed segment's old entry is skipped. */
export class RepairHeap {
  private readonly heap = new Heap(1024);
  segment = 0;
  healthy = 0;
  version = 0;

  get size(): number {
    return this.heap.size;
  }

  push(segment: number, healthy: number, version: number): void {
    if (segment >= SEGMENT_SPAN) throw new RangeError('segment index too large for the repair queue');
    this.heap.push(healthy * SEGMENT_SPAN + segment, segment, version);
  }

  pop(): boolean {
    if (!this.heap.pop()) return false;
    this.segment = this.heap.a;
    this.version = this.heap.b;
    this.healthy = Math.floor(this.heap.key / SEGMENT_SPAN);
    return true;
  }
}
