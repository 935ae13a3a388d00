// The chaos run's plan, a pure function of the seed and the options: which nodes misbehave, the
// timed events (kills, stalls, removals, fresh nodes, bad disks, the satellite's restart) and the
// objects the clients store. The same seed gives the same plan.
import { Prng } from './prng.js';

export interface ChaosOptions {
  seed: number;
  durationMs: number;
  /** Storage nodes at the start. */
  nodes: number;
  /** Nodes removed for good over the run: more than total - k. */
  removals: number;
  /** Plaintext bytes of all objects together (the clients stop uploading when done). */
  objectBytes: number;
  /** The largest object (one object has exactly this size). */
  maxObjectBytes: number;
  /** Capacity of the node that fills its disk. */
  smallCapacity: number;
  /** Honest nodes down (killed or stalled) at once, at most. */
  maxDisrupted: number;
  /** Fresh nodes that join to replace the bad ones (uploads need `success` nodes with room). */
  replacements?: number;
  /** Nodes on a small filesystem of their own that is filled to the last byte at once, then freed. */
  diskFullNodes?: number;
  /** Nodes run with their clock off by these offsets (ms; within the order limits' allowance). */
  clockOffsetsMs?: number[];
  /** A node that sends clients wrong bytes (honest with audits and repair). */
  liar?: boolean;
}

/** What the next reader of an object finds: replaced by other bytes, or gone. */
export type ObjectChange = { kind: 'overwrite'; size: number } | { kind: 'delete' };

export type ChaosEvent =
  | { at: number; kind: 'corrupt'; node: string }
  | { at: number; kind: 'delete-pieces'; node: string }
  | { at: number; kind: 'kill'; node: string; downMs: number }
  | { at: number; kind: 'stall'; node: string; forMs: number }
  | { at: number; kind: 'remove'; node: string }
  | { at: number; kind: 'add'; node: string }
  | { at: number; kind: 'satellite-restart'; downMs: number }
  | { at: number; kind: 'disk-full'; nodes: string[]; forMs: number };

export interface ChaosPlan {
  options: ChaosOptions;
  /** The nodes at the start, with their capacity (bytes). */
  nodes: { name: string; capacity: number }[];
  roles: { corrupt: string[]; deletes: string; full: string; diskFull: string[]; skewed: { node: string; offsetMs: number }[]; liar: string | null };
  events: ChaosEvent[];
  /** Objects in upload order; some are overwritten or deleted once written (`then`). */
  objects: { key: string; size: number; then?: ObjectChange }[];
}

/** Bad, down and removed-and-not-yet-repaired nodes together: at most total - k at any moment. */
export const RULE_LIMIT = (total: number, k: number): number => total - k;

const MIB = 1024 * 1024;

export function planChaos(options: ChaosOptions): ChaosPlan {
  const root = new Prng(options.seed);
  const rolesRng = root.fork('roles');
  const eventRng = root.fork('events');
  const objectRng = root.fork('objects');
  const D = options.durationMs;
  const name = (i: number): string => `n${String(i + 1).padStart(2, '0')}`;
  const initial = Array.from({ length: options.nodes }, (_, i) => name(i));
  const shuffled = rolesRng.shuffle(initial);
  const [c1, c2, deletes, full] = shuffled as [string, string, string, string];
  const diskFull = shuffled.slice(4, 4 + (options.diskFullNodes ?? 0));
  const offsets = options.clockOffsetsMs ?? [];
  const skewed = shuffled.slice(4 + diskFull.length, 4 + diskFull.length + offsets.length).map((node, i) => ({ node, offsetMs: offsets[i]! }));
  const liar = options.liar ? shuffled[4 + diskFull.length + skewed.length]! : null;
  const roles = { corrupt: [c1, c2], deletes, full, diskFull, skewed, liar };
  const nodes = initial.map((n) => ({ name: n, capacity: n === full ? options.smallCapacity : 10e9 }));

  const events: ChaosEvent[] = [];
  // The bad disks start early, so audits disqualify them before most removals.
  events.push({ at: Math.round(0.05 * D), kind: 'corrupt', node: c1 });
  events.push({ at: Math.round(0.05 * D) + 500, kind: 'corrupt', node: c2 });
  events.push({ at: Math.round(0.05 * D) + 1000, kind: 'delete-pieces', node: deletes });

  // Which honest nodes exist when, and when each is busy (killed, stalled, removed).
  const joined = new Map<string, number>(initial.filter((n) => n !== c1 && n !== c2 && n !== deletes).map((n) => [n, 0]));
  const removedAt = new Map<string, number>();
  const busy: { node: string; from: number; to: number }[] = [];
  let fresh = 0;
  const addFresh = (at: number): void => {
    const n = `f${String(++fresh).padStart(2, '0')}`;
    joined.set(n, at);
    events.push({ at, kind: 'add', node: n });
  };
  // A node counts as there 15 s after it was added (starting takes seconds on a loaded machine).
  const aliveAt = (t: number): string[] => [...joined].filter(([n, from]) => from + 15_000 <= t && !(removedAt.has(n) && removedAt.get(n)! <= t + 60_000)).map(([n]) => n);
  const disruptedDuring = (from: number, to: number): Set<string> => new Set(busy.filter((b) => b.from < to && from < b.to).map((b) => b.node));

  // The bad nodes' replacements as they go bad (once they are disqualified, uploads need them to
  // find `success` nodes), a fresh node, then one removal after another from 40 % to 85 % of the
  // run, each followed by a fresh node.
  addFresh(Math.round(0.2 * D));
  for (let i = 0; i < (options.replacements ?? 0); i++) addFresh(Math.round((0.07 + 0.03 * i) * D));
  const gap = (0.45 * D) / Math.max(1, options.removals - 1);
  for (let i = 0; i < options.removals; i++) {
    const at = Math.round(0.4 * D + i * gap + eventRng.next() * 0.2 * gap);
    // The small disks stay (a wiped tmpfs node would be just another removal).
    // The liar stays too (its lies are counted to the end).
    const candidates = aliveAt(at).filter((n) => n !== full && n !== liar && !diskFull.includes(n) && !disruptedDuring(at - 1000, at + 1000).has(n));
    const node = eventRng.pick(candidates);
    removedAt.set(node, at);
    busy.push({ node, from: at, to: Infinity });
    events.push({ at, kind: 'remove', node });
    addFresh(at + 2000);
  }

  // Kills and stalls of honest nodes, never more than maxDisrupted at once.
  const disrupt = (count: number, kind: 'kill' | 'stall'): void => {
    for (let i = 0; i < count; i++) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const at = Math.round(D * (0.1 + 0.8 * eventRng.next()));
        const len = kind === 'kill' ? eventRng.int(2000, 8000) : eventRng.int(2000, 6000);
        const overlapping = disruptedDuring(at, at + len + 2000);
        const activeTemporary = busy.filter((b) => b.to !== Infinity && b.from < at + len + 2000 && at < b.to).length;
        const candidates = aliveAt(at).filter((n) => !overlapping.has(n) && !(removedAt.get(n)! <= at + len + 10_000));
        if (activeTemporary >= options.maxDisrupted || candidates.length === 0) continue;
        const node = eventRng.pick(candidates);
        busy.push({ node, from: at, to: at + len + 2000 });
        events.push(kind === 'kill' ? { at, kind, node, downMs: len } : { at, kind, node, forMs: len });
        break;
      }
    }
  };
  disrupt(Math.max(2, Math.ceil(D / 30_000)), 'kill');
  disrupt(Math.max(2, Math.ceil(D / 40_000)), 'stall');
  // The satellite is killed while it repairs: a few seconds after a removal near the middle.
  const removals = events.filter((e) => e.kind === 'remove');
  const middle = D * (0.45 + 0.1 * eventRng.next());
  const near = removals.reduce<{ at: number }>((a, b) => (Math.abs(b.at - middle) < Math.abs(a.at - middle) ? b : a), removals[0] ?? { at: middle });
  events.push({ at: Math.round(near.at + 6000), kind: 'satellite-restart', downMs: 3000 });
  // The small disks fill to the last byte at once, for a while, early enough that they hold pieces.
  if (diskFull.length > 0) events.push({ at: Math.round(D * (0.25 + 0.1 * eventRng.next())), kind: 'disk-full', nodes: diskFull, forMs: Math.round(Math.min(30_000, 0.1 * D)) });
  events.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));

  // Objects: one of each extreme (0 bytes, the largest), the rest mostly small, some medium,
  // a few large, until the byte budget is used.
  const objects: { key: string; size: number; then?: ObjectChange }[] = [
    { key: 'obj-0000', size: 0 },
    { key: 'obj-0001', size: options.maxObjectBytes }
  ];
  let total = options.maxObjectBytes;
  const pickSize = (): number => {
    const r = objectRng.next();
    return r < 0.2 ? objectRng.int(1, 4096) : r < 0.65 ? objectRng.int(4097, 2 * MIB) : r < 0.92 ? objectRng.int(2 * MIB, 24 * MIB) : objectRng.int(24 * MIB, Math.min(options.maxObjectBytes, 80 * MIB));
  };
  for (let i = 2; total < options.objectBytes; i++) {
    const size = pickSize();
    const fitted = Math.min(size, options.objectBytes - total);
    // Some objects change once written: overwritten with other bytes (of another size), or deleted.
    const c = objectRng.next();
    const then: ObjectChange | undefined = c < 0.1 ? { kind: 'overwrite', size: Math.min(pickSize(), 24 * MIB) } : c < 0.18 ? { kind: 'delete' } : undefined;
    objects.push({ key: `obj-${String(i).padStart(4, '0')}`, size: fitted, ...(then ? { then } : {}) });
    total += fitted + (then?.kind === 'overwrite' ? then.size : 0);
    if (fitted < size) break;
  }
  return { options, nodes, roles, events, objects };
}
