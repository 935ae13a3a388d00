// The satellite operator's page: polls the admin API and shows it (totals, nodes, segment health,
// repair queue, payouts, audits). The API needs the satellite's admin token (DATA_DIR/admin.token):
// the page asks for it once and keeps it in this browser's localStorage for this address (or takes
// it from `#token=...` in the address, as the devnet prints it, and drops it from the address).
import '../shared/style.css';
import { ApiError, getJson, setAuthToken } from '../shared/api.js';
import { Chart } from '../shared/chart.js';
import { badge, h, byId, showValue } from '../shared/dom.js';
import { formatBytes, formatScore, formatTime, formatTokens, shortId } from '../shared/format.js';
import { startPolling } from '../shared/poll.js';
import { SortableTable } from '../shared/table.js';
import type { Audit, Health, Info, LedgerCheck, NodeRow, Payouts, Reputation, Totals } from './types.js';

type Row = NodeRow & { auditScore: number; audits: Reputation['audits'] | undefined; used: number; balance: string };

const mono = (id: string): Node => h('span', { class: 'mono', title: id }, shortId(id));

function flags(n: Row): Node {
  const out = h('span');
  if (n.flags.disqualified !== null) out.append(badge('disqualified', 'bad'));
  if (n.flags.suspended !== null) out.append(badge('suspended', 'warn'));
  if (n.flags.exited !== null) out.append(badge('exited', 'muted'));
  out.append(n.vetted ? badge('vetted', 'ok') : badge('vetting', 'muted'));
  return out;
}

const nodes = new SortableTable<Row>(
  byId('nodes'),
  [
    { key: 'id', label: 'Node', sortValue: (n) => n.id, render: (n) => mono(n.id) },
    { key: 'reachable', label: 'Reachable', sortValue: (n) => String(n.reachable), render: (n) => (n.reachable ? badge('yes', 'ok') : badge('no', 'bad')) },
    { key: 'auditScore', label: 'Audit score', numeric: true, sortValue: (n) => n.auditScore, render: (n) => formatScore(n.auditScore) },
    { key: 'onlineScore', label: 'Online score', numeric: true, sortValue: (n) => n.onlineScore, render: (n) => formatScore(n.onlineScore) },
    { key: 'flags', label: 'Flags', sortValue: (n) => (n.flags.disqualified !== null ? 3 : n.flags.suspended !== null ? 2 : n.vetted ? 0 : 1), render: flags },
    { key: 'audits', label: 'Audits ok / failed', numeric: true, sortValue: (n) => n.audits?.successes ?? 0, render: (n) => (n.audits ? `${n.audits.successes} / ${n.audits.failures}` : '–') },
    { key: 'used', label: 'Stored', numeric: true, sortValue: (n) => n.used, render: (n) => formatBytes(n.used) },
    { key: 'freeSpace', label: 'Free (reported)', numeric: true, sortValue: (n) => n.freeSpace, render: (n) => formatBytes(n.freeSpace) },
    { key: 'balance', label: 'Credited', numeric: true, sortValue: (n) => Number(n.balance), render: (n) => formatTokens(n.balance) },
    { key: 'lastContact', label: 'Last contact', sortValue: (n) => n.lastContact, render: (n) => formatTime(n.lastContact) },
    { key: 'version', label: 'Version', sortValue: (n) => n.version }
  ],
  (n) => n.id,
  { key: 'auditScore' },
  'no node has checked in'
);

const queue = new SortableTable<Health['queue'][number]>(
  byId('repair-queue'),
  [
    { key: 'segmentKey', label: 'Segment', sortValue: (q) => q.segmentKey, render: (q) => h('span', { class: 'mono' }, q.segmentKey) },
    { key: 'healthy', label: 'Healthy pieces', numeric: true, sortValue: (q) => q.healthy },
    { key: 'queuedAt', label: 'Queued', sortValue: (q) => q.queuedAt, render: (q) => formatTime(q.queuedAt) }
  ],
  (q) => q.segmentKey,
  { key: 'healthy' },
  'empty: every segment has enough healthy pieces'
);

const periods = new SortableTable<Payouts['periods'][number]>(
  byId('periods'),
  [
    { key: 'period', label: 'Period', numeric: true, sortValue: (p) => p.period },
    { key: 'start', label: 'From', sortValue: (p) => p.start, render: (p) => formatTime(p.start) },
    { key: 'end', label: 'To', sortValue: (p) => p.end, render: (p) => formatTime(p.end) },
    { key: 'entries', label: 'Entries', numeric: true, sortValue: (p) => p.entries },
    { key: 'total', label: 'Total', numeric: true, sortValue: (p) => Number(p.total), render: (p) => formatTokens(p.total) }
  ],
  (p) => String(p.period),
  { key: 'period', descending: true },
  'no period closed yet'
);

const outcomeTone = { success: 'ok', failure: 'bad', offline: 'warn', contained: 'warn', skipped: 'muted' } as const;
const audits = new SortableTable<Audit>(
  byId('audits'),
  [
    { key: 'time', label: 'Time', sortValue: (a) => a.time, render: (a) => formatTime(a.time) },
    { key: 'nodeId', label: 'Node', sortValue: (a) => a.nodeId, render: (a) => mono(a.nodeId) },
    { key: 'outcome', label: 'Outcome', sortValue: (a) => a.outcome, render: (a) => badge(a.reverify > 0 ? `${a.outcome} (re-ask ${a.reverify})` : a.outcome, outcomeTone[a.outcome]) },
    { key: 'segmentKey', label: 'Segment / piece', sortValue: (a) => `${a.segmentKey}/${a.pieceNumber}`, render: (a) => h('span', { class: 'mono' }, `${a.segmentKey.slice(0, 24)}… #${a.pieceNumber}`) },
    { key: 'reason', label: 'Why', sortValue: (a) => a.reason }
  ],
  (a) => `${a.nodeId}/${a.time}/${a.segmentKey}/${a.pieceNumber}`,
  { key: 'time', descending: true },
  'no audit yet'
);

let healthBuckets: number[] = [];
const healthChart = new Chart(byId('chart-health'), {
  bars: true,
  xLabel: (i) => (healthBuckets[i] === undefined ? '' : `${healthBuckets[i]}`),
  series: [{ label: 'Segments', color: '#2f6fde', format: (v) => String(Math.round(v)) }]
});

async function load(): Promise<void> {
  const [info, totals, rows, reputation, health, payouts, ledger, auditLog] = await Promise.all([
    getJson<Info>('/api/info'),
    getJson<Totals>('/api/totals'),
    getJson<NodeRow[]>('/api/nodes'),
    getJson<Reputation[]>('/api/reputation'),
    getJson<Health>('/api/segments/health'),
    getJson<Payouts>('/api/payouts'),
    getJson<LedgerCheck>('/api/ledger/verify'),
    getJson<Audit[]>('/api/audits?limit=100')
  ]);
  showValue('satellite-id', info.id ?? '', info.id ?? '');
  showValue('total-nodes', totals.nodes.known, String(totals.nodes.known));
  showValue('total-reachable', totals.nodes.reachable, String(totals.nodes.reachable));
  showValue('total-vetted', totals.nodes.vetted, String(totals.nodes.vetted));
  showValue('total-suspended', totals.nodes.suspended, String(totals.nodes.suspended));
  showValue('total-disqualified', totals.nodes.disqualified, String(totals.nodes.disqualified));
  showValue('total-segments', totals.segments, String(totals.segments));
  showValue('total-lost', totals.lostSegments, String(totals.lostSegments));
  showValue('total-repair-queue', totals.repairQueue, String(totals.repairQueue));
  showValue('total-stored', totals.storedBytes, formatBytes(totals.storedBytes));
  showValue('total-buckets', totals.buckets, String(totals.buckets));
  showValue('total-credited', totals.tokensCredited, formatTokens(totals.tokensCredited));
  showValue('total-periods', totals.periodsClosed, String(totals.periodsClosed));

  const rep = new Map(reputation.map((r) => [r.nodeId, r]));
  const used = await getJson<Record<string, number>>('/api/gc/used');
  nodes.update(
    rows.map((n) => ({ ...n, auditScore: rep.get(n.id)?.auditScore ?? 1, audits: rep.get(n.id)?.audits, used: used[n.id] ?? 0, balance: payouts.balances[n.id] ?? '0.000000' }))
  );

  showValue('health-checked', health.segments, String(health.segments));
  // Every count from 0 to the most healthy pieces any segment has, so gaps show as zero.
  const most = Math.max(0, ...Object.keys(health.histogram).map(Number));
  healthBuckets = Array.from({ length: most + 1 }, (_, i) => i);
  healthChart.update(
    healthBuckets.map((_, i) => i),
    [healthBuckets.map((b) => health.histogram[b] ?? 0)]
  );
  byId('chart-health').dataset.histogram = JSON.stringify(health.histogram);
  queue.update(health.queue);

  const status = document.querySelector<HTMLElement>('[data-testid="ledger-status"]')!;
  status.dataset.value = String(ledger.ok);
  status.replaceChildren(ledger.ok ? badge('verified', 'ok') : badge(`broken: ${ledger.problem ?? 'unknown'}`, 'bad'));
  showValue('ledger-entries', ledger.entries, `(${ledger.entries} entries, hashes and links rechecked)`);
  showValue('open-period', payouts.current.period, String(payouts.current.period));
  showValue('open-period-start', payouts.current.start, formatTime(payouts.current.start));
  periods.update(payouts.periods);
  audits.update(auditLog);
}

const TOKEN_KEY = 'stowage-admin-token';
const tokenForm = byId<HTMLFormElement>('token-form');
const tokenInput = byId<HTMLInputElement>('token-input');
let polling = false;
let token: string | undefined;

function useToken(value: string | undefined): void {
  token = value;
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
  setAuthToken(value);
}

function askForToken(message: string): void {
  byId('token-message').textContent = message;
  if (!tokenForm.hidden) return;
  tokenForm.hidden = false;
  tokenInput.focus();
}

async function refresh(): Promise<void> {
  const sent = token;
  try {
    await load();
  } catch (err) {
    // Only when the token refused is still the one in use (a newer one may have been given meanwhile).
    if (err instanceof ApiError && err.code === 'ADMIN_UNAUTHORIZED' && token === sent) {
      if (sent !== undefined) {
        useToken(undefined);
        askForToken('The satellite refused that token. Paste the one in admin.token of its data directory.');
      } else if (tokenForm.hidden) {
        askForToken('The admin API needs the token: paste the one in admin.token of the satellite\'s data directory.');
      }
    }
    throw err;
  }
}

function begin(): void {
  if (polling) return;
  polling = true;
  startPolling(refresh);
}

tokenForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const given = tokenInput.value.trim();
  if (!given) return;
  useToken(given);
  tokenInput.value = '';
  tokenForm.hidden = true;
  begin();
});
byId('forget-token').addEventListener('click', (e) => {
  e.preventDefault();
  useToken(undefined);
  askForToken('Token forgotten. Paste it again to go on.');
});

const fromAddress = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
if (fromAddress) {
  useToken(decodeURIComponent(fromAddress));
  history.replaceState(null, '', location.pathname + location.search);
}
const stored = localStorage.getItem(TOKEN_KEY) ?? undefined;
if (stored) {
  useToken(stored);
  begin();
} else {
  askForToken('This page reads the admin API, which needs the satellite\'s admin token: the file admin.token in its data directory. It is kept in this browser for this address.');
}
