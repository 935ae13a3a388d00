// The durability sweep as an SVG: per profile, repair traffic and losses against the repair
// threshold, one colour per mean node lifetime. Losses are drawn with their 95 % interval; a
// scenario with none as an open marker on the dashed line of its 95 % upper bound.
import type { SimResult } from './sim.js';

const COLORS = ['#d62728', '#ff7f0e', '#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];

interface Panel {
  x: number;
  y: number;
  w: number;
  h: number;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000 || Math.abs(v) < 0.01) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(2)));
}

/** Ticks for a linear axis from 0 to about max. */
function linearTicks(max: number): { top: number; ticks: number[] } {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
  return { top, ticks };
}

export function plotDurability(results: SimResult[], title: string): string {
  const profiles = [...new Set(results.map((r) => r.profile.replace(/^(\d+)\/\d+\//, '$1/r/')))];
  const lifetimes = [...new Set(results.map((r) => r.meanLifetimeMonths))].sort((a, b) => a - b);
  const W = 960;
  const rowH = 300;
  const H = 70 + rowH * profiles.length + 30;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // Legend.
  lifetimes.forEach((l, i) => {
    const x = 110 + i * 190;
    out.push(`<line x1="${x}" y1="42" x2="${x + 24}" y2="42" stroke="${COLORS[i % COLORS.length]}" stroke-width="2.5"/>`);
    out.push(`<text x="${x + 30}" y="46">mean lifetime ${l} months</text>`);
  });
  out.push(`<text x="${W - 10}" y="64" text-anchor="end" fill="#555">losses: filled with 95 % interval; open on the dashed line: none, below that 95 % bound</text>`);
  profiles.forEach((profile, row) => {
    const rows = results.filter((r) => r.profile.replace(/^(\d+)\/\d+\//, '$1/r/') === profile);
    const thresholds = [...new Set(rows.map((r) => r.repairThreshold))].sort((a, b) => a - b);
    const top = 70 + row * rowH;
    const left: Panel = { x: 80, y: top + 30, w: 360, h: rowH - 90 };
    const right: Panel = { x: 570, y: top + 30, w: 360, h: rowH - 90 };
    const xMin = thresholds[0]!;
    const xMax = thresholds[thresholds.length - 1]!;
    const xOf = (p: Panel, t: number): number => p.x + (xMax === xMin ? p.w / 2 : ((t - xMin) / (xMax - xMin)) * p.w);
    const axes = (p: Panel, label: string, yLabel: string): void => {
      out.push(`<text x="${p.x + p.w / 2}" y="${p.y - 10}" text-anchor="middle" font-weight="bold">${esc(`${profile}: ${label}`)}</text>`);
      out.push(`<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" fill="none" stroke="#999"/>`);
      for (const t of thresholds) {
        const x = xOf(p, t);
        out.push(`<line x1="${x}" y1="${p.y + p.h}" x2="${x}" y2="${p.y + p.h + 4}" stroke="#999"/>`);
        out.push(`<text x="${x}" y="${p.y + p.h + 17}" text-anchor="middle">${t}</text>`);
      }
      out.push(`<text x="${p.x + p.w / 2}" y="${p.y + p.h + 34}" text-anchor="middle">repair threshold (healthy pieces)</text>`);
      out.push(`<text transform="translate(${p.x - 52} ${p.y + p.h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
    };
    // Repair traffic, linear.
    const maxTraffic = Math.max(...rows.map((r) => r.repairPerStoredBytePerYear), 1e-9);
    const lin = linearTicks(maxTraffic);
    axes(left, 'repair traffic', 'bytes moved per stored byte per year');
    const yLin = (v: number): number => left.y + left.h - (v / lin.top) * left.h;
    for (const v of lin.ticks) {
      out.push(`<line x1="${left.x - 4}" y1="${yLin(v)}" x2="${left.x + left.w}" y2="${yLin(v)}" stroke="#eee"/>`);
      out.push(`<text x="${left.x - 7}" y="${yLin(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
    }
    // Losses, log.
    const values = rows.flatMap((r) => (r.lost > 0 ? [r.lossRate.perSegmentYear, r.lossRate.upper] : [r.lossRate.upper])).filter((v) => v > 0);
    const lo = Math.floor(Math.log10(Math.min(...values, 1))) - 1;
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values, 1e-9))));
    axes(right, 'segments lost', 'lost per segment-year (log)');
    const yLog = (v: number): number => right.y + right.h - ((Math.log10(v) - lo) / (hi - lo)) * right.h;
    for (let e = lo; e <= hi; e++) {
      out.push(`<line x1="${right.x - 4}" y1="${yLog(10 ** e)}" x2="${right.x + right.w}" y2="${yLog(10 ** e)}" stroke="#eee"/>`);
      out.push(`<text x="${right.x - 7}" y="${yLog(10 ** e) + 4}" text-anchor="end">1e${e}</text>`);
    }
    // The bound for no loss (one line when every scenario ran as many segment-years).
    for (const bound of new Set(rows.filter((r) => r.lost === 0).map((r) => Number(r.lossRate.upper.toPrecision(3))))) {
      out.push(`<line x1="${right.x}" y1="${yLog(bound).toFixed(1)}" x2="${right.x + right.w}" y2="${yLog(bound).toFixed(1)}" stroke="#888" stroke-dasharray="5 4"/>`);
    }
    const yClamp = (v: number): number => Math.min(right.y + right.h, Math.max(right.y, yLog(Math.max(v, 10 ** lo))));
    lifetimes.forEach((l, i) => {
      const color = COLORS[i % COLORS.length]!;
      const series = rows.filter((r) => r.meanLifetimeMonths === l).sort((a, b) => a.repairThreshold - b.repairThreshold);
      if (series.length === 0) return;
      const pts = series.map((r) => `${xOf(left, r.repairThreshold).toFixed(1)},${yLin(r.repairPerStoredBytePerYear).toFixed(1)}`);
      if (pts.length > 1) out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (const r of series) out.push(`<circle cx="${xOf(left, r.repairThreshold).toFixed(1)}" cy="${yLin(r.repairPerStoredBytePerYear).toFixed(1)}" r="3" fill="${color}"/>`);
      // Lines join neighbouring thresholds that both lost segments; each loss has its 95 % interval.
      const dx = (i - (lifetimes.length - 1) / 2) * 4;
      for (let j = 1; j < series.length; j++) {
        const a = series[j - 1]!;
        const b = series[j]!;
        if (a.lost === 0 || b.lost === 0) continue;
        out.push(`<line x1="${(xOf(right, a.repairThreshold) + dx).toFixed(1)}" y1="${yClamp(a.lossRate.perSegmentYear).toFixed(1)}" x2="${(xOf(right, b.repairThreshold) + dx).toFixed(1)}" y2="${yClamp(b.lossRate.perSegmentYear).toFixed(1)}" stroke="${color}" stroke-width="2"/>`);
      }
      for (const r of series) {
        const x = (xOf(right, r.repairThreshold) + dx).toFixed(1);
        if (r.lost > 0) {
          out.push(`<line x1="${x}" y1="${yClamp(r.lossRate.lower).toFixed(1)}" x2="${x}" y2="${yClamp(r.lossRate.upper).toFixed(1)}" stroke="${color}" stroke-width="1.2"/>`);
          out.push(`<circle cx="${x}" cy="${yClamp(r.lossRate.perSegmentYear).toFixed(1)}" r="3.5" fill="${color}"/>`);
        } else out.push(`<circle cx="${x}" cy="${yClamp(r.lossRate.upper).toFixed(1)}" r="3.5" fill="white" stroke="${color}" stroke-width="1.5"/>`);
      }
    });
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
