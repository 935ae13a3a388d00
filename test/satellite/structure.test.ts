// The satellite's layout holds: one folder per part, parts talk through each other's index.ts,
// the chores never reach into a store implementation, and no import cycle runs between parts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'satellite');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The part a file belongs to: its first folder under src/satellite ('store/leveldb' counts as 'store'), or '' for the root. */
function partOf(path: string): string {
  const rel = relative(root, path).split('/');
  return rel.length > 1 ? rel[0]! : '';
}

interface Edge {
  from: string;
  to: string;
  file: string;
  target: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of files(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'));
      if (!target.startsWith(root + '/')) continue;
      out.push({ from: partOf(file), to: partOf(target), file: relative(root, file), target: relative(root, target) });
    }
  }
  return out;
}

describe('the satellite layout', () => {
  const all = edges();

  it('finds the parts and their imports', () => {
    const parts = new Set(all.map((e) => e.from));
    for (const p of ['contact', 'overlay', 'orders', 'apikeys', 'metainfo', 'audit', 'reputation', 'repair', 'gc', 'payouts', 'nodestats', 'admin', 'store']) expect(parts).toContain(p);
    expect(all.length).toBeGreaterThan(50);
  });

  it('parts import another part only through its index.ts', () => {
    const inner = all.filter((e) => e.from !== '' && e.to !== '' && e.from !== e.to && !/^[^/]+\/index\.ts$/.test(e.target));
    expect(inner.map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
  });

  it('only the composition root imports the root files and the store implementations', () => {
    expect(all.filter((e) => e.from !== '' && e.to === '').map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
    expect(all.filter((e) => e.from !== '' && e.from !== 'store' && e.to === 'store').map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
  });

  it('has no import cycle between parts', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of all) if (e.from !== e.to && e.from !== '') graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (p: string, path: string[]): void => {
      if (state.get(p) === 'done') return;
      if (state.get(p) === 'open') {
        cycles.push([...path.slice(path.indexOf(p)), p].join(' -> '));
        return;
      }
      state.set(p, 'open');
      for (const q of graph.get(p) ?? []) visit(q, [...path, p]);
      state.set(p, 'done');
    };
    for (const p of graph.keys()) visit(p, []);
    expect(cycles).toEqual([]);
  });

  it('a part does not import its own index.ts (a cycle inside the part)', () => {
    expect(all.filter((e) => e.from !== '' && e.from === e.to && /^[^/]+\/index\.ts$/.test(e.target)).map((e) => e.file)).toEqual([]);
  });
});
