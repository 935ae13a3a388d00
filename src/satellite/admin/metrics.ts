// The satellite's Prometheus metrics (served at /metrics by the admin server). The metric names are
// what dashboards and alerts use: they never change.
import { Counter, Gauge, Registry } from 'prom-client';
import type { NodeDB } from '../overlay/index.js';
import type { NodeReputation } from '../reputation/index.js';

/** How old the per-node used bytes in /metrics may be (each computation walks every segment). */
export const USED_BYTES_MAX_AGE_MS = 10_000;

export class SatelliteMetrics {
  readonly registry = new Registry();
  readonly checkIns = new Counter({ name: 'stowage_satellite_check_ins_total', help: 'Node check-ins by result', labelNames: ['result'], registers: [this.registry] });
  readonly nodes: Gauge;
  readonly repairQueue = new Gauge({ name: 'stowage_satellite_repair_queue', help: 'Segments waiting for repair', registers: [this.registry] });
  readonly lostSegments = new Gauge({ name: 'stowage_satellite_lost_segments', help: 'Segments with fewer healthy pieces than k, at the last check', registers: [this.registry] });
  readonly repairs = new Counter({ name: 'stowage_satellite_repairs_total', help: 'Repair attempts by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly repairedBytes = new Counter({ name: 'stowage_satellite_repaired_bytes_total', help: 'Bytes of pieces rebuilt and stored by repair', registers: [this.registry] });
  readonly audits = new Counter({ name: 'stowage_satellite_audits_total', help: 'Audits by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly settledOrders = new Counter({ name: 'stowage_satellite_settled_orders_total', help: 'Bandwidth orders nodes settled, by status (accepted, duplicate, rejected)', labelNames: ['status'], registers: [this.registry] });
  readonly errors = new Counter({ name: 'stowage_satellite_errors_total', help: 'Requests answered with an error, by protocol and code', labelNames: ['protocol', 'code'], registers: [this.registry] });

  constructor(nodeRegistry: NodeDB, sources?: { scores: () => Promise<NodeReputation[]>; usedByNode: () => Promise<Map<string, number>>; repairing?: () => number }) {
    if (sources?.repairing) {
      const repairing = sources.repairing;
      new Gauge({
        name: 'stowage_satellite_repairs_in_flight',
        help: 'Segments being repaired now',
        registers: [this.registry],
        collect() {
          this.set(repairing());
        }
      });
    }
    if (sources) {
      // Both walk the registry or the segments at each scrape: fine at devnet and small-network sizes.
      new Gauge({
        name: 'stowage_satellite_node_score',
        help: 'Each node\'s audit and online score',
        labelNames: ['node', 'score'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const r of await sources.scores()) {
            this.set({ node: r.nodeId, score: 'audit' }, r.auditScore);
            this.set({ node: r.nodeId, score: 'online' }, r.onlineScore);
          }
        }
      });
      // The used bytes walk every segment: one walk serves the scrapes of USED_BYTES_MAX_AGE_MS
      // (scrapes back to back, each walking, took 12 s apiece on a loaded chaos satellite and
      // starved its repairs).
      let used: { at: number; value: Promise<Map<string, number>> } | undefined;
      const usedByNode = (): Promise<Map<string, number>> => {
        if (!used || Date.now() - used.at > USED_BYTES_MAX_AGE_MS) {
          const value = sources.usedByNode();
          used = { at: Date.now(), value };
          value.catch(() => (used = undefined));
        }
        return used.value;
      };
      new Gauge({
        name: 'stowage_satellite_used_bytes',
        help: 'Bytes of pieces the satellite counts on each node (at most 10 s old)',
        labelNames: ['node'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const [node, bytes] of await usedByNode()) this.set({ node }, bytes);
        }
      });
    }
    this.nodes = new Gauge({
      name: 'stowage_satellite_nodes',
      help: 'Storage nodes in the registry by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const counts = { known: 0, reachable: 0, disqualified: 0, suspended: 0, exited: 0 };
        for await (const rec of nodeRegistry.list()) {
          counts.known++;
          if (rec.reachable) counts.reachable++;
          if (rec.flags.disqualified !== null) counts.disqualified++;
          if (rec.flags.suspended !== null) counts.suspended++;
          if (rec.flags.exited !== null) counts.exited++;
        }
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      }
    });
  }
}
