// How the pages write numbers. Pure functions: the browser tests use them to check that the text
// shown is the API's number, written this way.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1234567 -> "1.23 MB" (powers of 1000, as disks are sold). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  let i = 0;
  let v = Math.abs(n);
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const text = i === 0 ? String(v) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2);
  return `${n < 0 ? '-' : ''}${text} ${UNITS[i]}`;
}

/** 0.98765 -> "98.77 %". */
export function formatScore(score: number | null | undefined): string {
  return typeof score === 'number' ? `${(score * 100).toFixed(2)} %` : '–';
}

/** 93784000 -> "1d 2h 3m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** ms since the epoch -> "2026-11-24 08:35:32" (UTC), or "never". */
export function formatTime(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || ms <= 0) return 'never';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** A peer id shortened for tables: first 6 and last 6 characters. */
export function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

/** Token amounts come as decimal strings ("12.345678"); shown with the unit. */
export function formatTokens(amount: string | null | undefined): string {
  return typeof amount === 'string' && amount !== '' ? `${amount} STOW` : '–';
}

/** Adds decimal token amounts exactly (6 places, as the satellite writes them). */
export function sumTokens(amounts: string[]): string {
  let units = 0n;
  for (const a of amounts) {
    const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(a.trim());
    if (!m) continue;
    const v = BigInt(m[2]!) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
    units += m[1] ? -v : v;
  }
  const neg = units < 0n;
  const abs = neg ? -units : units;
  return `${neg ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
}
