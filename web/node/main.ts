// The node operator's page: polls the dashboard API and shows it (numbers, tables, charts).
import '../shared/style.css';
import { getJson } from '../shared/api.js';
import { Chart } from '../shared/chart.js';
import { badge, byId, h, replaceChildren, showValue } from '../shared/dom.js';
import { formatBytes, formatDuration, formatScore, formatTime, formatTokens, shortId, sumTokens } from '../shared/format.js';
import { startPolling } from '../shared/poll.js';
import { SortableTable } from '../shared/table.js';
import type { Bandwidth, Disk, HistorySample, NodeInfo, PayoutView, PeriodPay, SatelliteView, Statement } from './types.js';

const COLORS = ['#2f6fde', '#1f8a4c', '#b7791f', '#c53030', '#7b4fd6', '#0f8b8d'];

function stateBadges(s: SatelliteView): Node {
  const out = h('span');
  if (s.statsError && s.auditScore === undefined) out.append(badge('no stats', 'muted'));
  if (s.disqualified) out.append(badge('disqualified', 'bad'));
  else if (s.suspended) out.append(badge('suspended', 'warn'));
  else if (s.auditScore !== undefined) out.append(badge('in good standing', 'ok'));
  if (s.vetted !== undefined) out.append(s.vetted ? badge('vetted', 'ok') : badge('vetting', 'muted'));
  return out;
}

const satellites = new SortableTable<SatelliteView & { lastCheckIn: number | null }>(
  byId('satellites'),
  [
    { key: 'id', label: 'Satellite', sortValue: (s) => s.id, render: (s) => h('span', { class: 'mono', title: s.id }, shortId(s.id)) },
    { key: 'reachable', label: 'Reaches this node', sortValue: (s) => String(s.reachable), render: (s) => (s.reachable === null ? badge('not checked in', 'muted') : s.reachable ? badge('yes', 'ok') : badge('no', 'bad')) },
    { key: 'lastCheckIn', label: 'Last check-in', sortValue: (s) => s.lastCheckIn ?? 0, render: (s) => formatTime(s.lastCheckIn) },
    { key: 'auditScore', label: 'Audit score', numeric: true, sortValue: (s) => s.auditScore ?? -1, render: (s) => formatScore(s.auditScore) },
    { key: 'onlineScore', label: 'Online score', numeric: true, sortValue: (s) => s.onlineScore ?? -1, render: (s) => formatScore(s.onlineScore) },
    { key: 'state', label: 'State', sortValue: (s) => (s.disqualified ? 2 : s.suspended ? 1 : 0), render: stateBadges },
    { key: 'audits', label: 'Audits passed / failed', numeric: true, sortValue: (s) => s.audits?.passed ?? 0, render: (s) => (s.audits ? `${s.audits.passed} / ${s.audits.failed}` : '–') },
    { key: 'heldBytes', label: 'Stored (satellite count)', numeric: true, sortValue: (s) => s.heldBytes ?? 0, render: (s) => (s.heldBytes === undefined ? '–' : formatBytes(s.heldBytes)) },
    { key: 'periodEstimate', label: 'This period', numeric: true, sortValue: (s) => Number(s.periodEstimate ?? 0), render: (s) => formatTokens(s.periodEstimate) }
  ],
  (s) => s.id,
  { key: 'id' },
  'no trusted satellite'
);

const statements = new SortableTable<Statement>(
  byId('statements'),
  [
    { key: 'satelliteId', label: 'Satellite', sortValue: (s) => s.satelliteId, render: (s) => h('span', { class: 'mono', title: s.satelliteId }, shortId(s.satelliteId)) },
    { key: 'period', label: 'Period', numeric: true, sortValue: (s) => s.period },
    { key: 'periodStart', label: 'From', sortValue: (s) => s.periodStart, render: (s) => formatTime(s.periodStart) },
    { key: 'periodEnd', label: 'To', sortValue: (s) => s.periodEnd, render: (s) => formatTime(s.periodEnd) },
    { key: 'total', label: 'Total', numeric: true, sortValue: (s) => Number(s.total), render: (s) => formatTokens(s.total) },
    { key: 'verified', label: 'Signature', sortValue: (s) => String(s.verified), render: (s) => (s.verified ? badge('verified', 'ok') : badge('not verified', 'bad')) },
    {
      key: 'entries',
      label: 'Entries',
      sortValue: (s) => s.entries.length,
      render: (s) => h('details', {}, h('summary', {}, `${s.entries.length} entries`), ...s.entries.map((e) => h('div', { class: 'muted' }, `${e.kind} ${formatTokens(e.amount)}: ${e.detail}`)))
    }
  ],
  (s) => `${s.satelliteId}/${s.period}`,
  { key: 'period', descending: true },
  'no statement yet: one arrives after the satellite closes a payout period'
);

const PAY_TONES: Record<PeriodPay['status'], 'ok' | 'warn' | 'bad' | 'muted'> = {
  claimed: 'ok',
  pending: 'warn',
  unpublished: 'muted',
  flagged: 'bad',
  'nothing-owed': 'muted',
  'other-wallet': 'muted',
  unchecked: 'muted'
};

/** A transaction hash, shortened, with the whole hash as its title. */
const txCell = (tx: string | null | undefined): Node => (tx ? h('span', { class: 'mono', title: tx }, `${tx.slice(0, 10)}…`) : h('span', { class: 'muted' }, '–'));

const payouts = new SortableTable<PeriodPay & { satelliteId: string }>(
  byId('payouts'),
  [
    { key: 'satelliteId', label: 'Satellite', sortValue: (p) => p.satelliteId, render: (p) => h('span', { class: 'mono', title: p.satelliteId }, shortId(p.satelliteId)) },
    { key: 'period', label: 'Period', numeric: true, sortValue: (p) => p.period },
    { key: 'amount', label: 'Amount', numeric: true, sortValue: (p) => Number(p.amount), render: (p) => formatTokens(p.amount) },
    { key: 'status', label: 'On chain', sortValue: (p) => p.status, render: (p) => h('span', { title: p.message }, badge(p.status, PAY_TONES[p.status])) },
    { key: 'leaf', label: 'Leaf under root', sortValue: (p) => String(p.leaf?.underRoot ?? ''), render: (p) => (p.leaf === null ? '–' : p.leaf.underRoot === true ? badge('verified', 'ok') : p.leaf.underRoot === false ? badge('not under root', 'bad') : '–') },
    { key: 'paidTx', label: 'Paid by', sortValue: (p) => p.payments[0]?.tx ?? '', render: (p) => txCell(p.payments[0]?.tx) },
    { key: 'publishTx', label: 'Published by', sortValue: (p) => p.publishTx ?? '', render: (p) => txCell(p.publishTx) }
  ],
  (p) => `${p.satelliteId}/${p.period}`,
  { key: 'period', descending: true },
  'no period to show yet'
);

function updatePayouts(view: PayoutView): void {
  payouts.update(view.satellites.flatMap((s) => s.periods.map((p) => ({ ...p, satelliteId: s.satelliteId }))));
  const notes = view.satellites.flatMap((s) => {
    const id = shortId(s.satelliteId);
    if (s.error) return [h('div', { 'data-testid': 'payout-error', 'data-code': s.error.code }, `Satellite ${id}: `, badge(s.error.code === 'NO_CHAIN' ? 'not checked' : 'unchecked', s.error.code.startsWith('CHAIN_') ? 'bad' : 'warn'), ` ${s.error.message}`)];
    if (!s.wallet) return [];
    const w = s.wallet;
    const contract = h(
      'div',
      { class: 'muted', 'data-testid': 'payout-distributor', 'data-pinned': String(s.distributorPinned) },
      `Distributor `,
      h('span', { class: 'mono' }, s.distributor ?? '–'),
      s.distributorPinned ? ' (pinned by this node)' : ' (named by the satellite: pin it with --distributor to trust the chain over the satellite)',
      ' · token ',
      h('span', { class: 'mono' }, s.token ?? '–'),
      s.tokenPinned ? ' (pinned by this node)' : ' (the one the distributor pays: pin it with --token, a satellite\'s own distributor may pay a token of its own)'
    );
    const tone = w.state === 'paid' || w.state === 'nothing-owed' ? 'ok' : w.state === 'pending' ? 'warn' : 'bad';
    return [
      h(
        'div',
        { 'data-testid': 'payout-wallet', 'data-state': w.state, 'data-paid': w.paid, 'data-owed': w.owed, 'data-balance': w.balance },
        `Satellite ${id}, wallet `,
        h('span', { class: 'mono' }, w.wallet),
        ': ',
        badge(w.state, tone),
        ` ${w.message}; balance ${w.balance} (token base units)`,
        w.balanceBelowPaid ? ' · the wallet holds less than it was paid (tokens moved out of it)' : ''
      ),
      contract
    ];
  });
  replaceChildren(byId('payout-summary'), view.message ? h('div', { class: 'muted' }, view.stale ? badge('stale', 'warn') : null, ` ${view.message}`) : null, ...notes);
}

const storageChart = new Chart(byId('chart-storage'), {
  series: [
    { label: 'Used', color: '#2f6fde', format: formatBytes },
    { label: 'Trash', color: '#b7791f', format: formatBytes }
  ]
});
let bandwidthDays: string[] = [];
const bandwidthChart = new Chart(byId('chart-bandwidth'), {
  bars: true,
  xLabel: (i) => bandwidthDays[i]?.slice(5) ?? '',
  series: [
    { label: 'Ingress', color: '#2f6fde', format: formatBytes },
    { label: 'Egress', color: '#1f8a4c', format: formatBytes }
  ]
});
let scoresChart: Chart | undefined;
let scoreSatellites = '';
let lastHistory: HistorySample[] = [];

function updateHistory(samples: HistorySample[]): void {
  const x = samples.map((s) => s.at / 1000);
  storageChart.update(x, [samples.map((s) => s.used), samples.map((s) => s.trash)]);
  const ids = [...new Set(samples.flatMap((s) => Object.keys(s.scores)))].sort();
  // One line per satellite and score; the chart is made again when the satellites change.
  if (ids.join() !== scoreSatellites) {
    scoreSatellites = ids.join();
    byId('chart-scores').replaceChildren();
    scoresChart = new Chart(byId('chart-scores'), {
      yRange: [0, 1],
      series: ids.flatMap((id, i) => [
        { label: `audit ${shortId(id)}`, color: COLORS[(2 * i) % COLORS.length]!, format: formatScore },
        { label: `online ${shortId(id)}`, color: COLORS[(2 * i + 1) % COLORS.length]!, format: formatScore }
      ])
    });
  }
  scoresChart?.update(
    x,
    ids.flatMap((id) => [samples.map((s) => s.scores[id]?.audit ?? null), samples.map((s) => s.scores[id]?.online ?? null)])
  );
}

async function refresh(): Promise<void> {
  const since = lastHistory.length > 0 ? lastHistory[lastHistory.length - 1]!.at + 1 : 0;
  // Pay on chain apart: a slow chain must not hold the rest of the page.
  void getJson<PayoutView>('/api/payouts')
    .then(updatePayouts)
    .catch(() => undefined);
  const [node, sats, disk, bw, earnings, newSamples] = await Promise.all([
    getJson<NodeInfo>('/api/node'),
    getJson<SatelliteView[]>('/api/satellites'),
    getJson<Disk>('/api/disk'),
    getJson<Bandwidth>('/api/bandwidth'),
    getJson<Statement[]>('/api/earnings'),
    getJson<HistorySample[]>(`/api/history?since=${since}`)
  ]);

  showValue('node-id', node.id, node.id);
  showValue('node-version', node.version, `v${node.version}`);
  showValue('node-uptime', node.uptimeMs, formatDuration(node.uptimeMs));
  const unreachable = node.satellites.filter((s) => s.reachable === false || s.lastCheckIn === null);
  const status = document.querySelector<HTMLElement>('[data-testid="node-status"]')!;
  status.dataset.value = unreachable.length === 0 ? 'reachable' : 'unreachable';
  replaceChildren(status, unreachable.length === 0 ? badge('reachable', 'ok') : badge('not reachable', 'bad'));
  const reach = byId('reachability');
  reach.hidden = unreachable.length === 0;
  reach.textContent = unreachable.map((s) => `Satellite ${shortId(s.id)}: ${s.message}`).join(' · ');

  showValue('disk-used', disk.used, formatBytes(disk.used));
  showValue('disk-capacity', disk.capacity, formatBytes(disk.capacity));
  showValue('disk-free', disk.free, formatBytes(disk.free));
  showValue('disk-trash', disk.trash, formatBytes(disk.trash));
  const [usedBar, trashBar] = [...byId('disk-meter').children] as HTMLElement[];
  usedBar!.style.width = `${(100 * disk.used) / Math.max(1, disk.capacity)}%`;
  trashBar!.style.width = `${(100 * disk.trash) / Math.max(1, disk.capacity)}%`;

  showValue('bandwidth-today', bw.today.ingress + bw.today.egress, formatBytes(bw.today.ingress + bw.today.egress));
  showValue('bandwidth-today-ingress', bw.today.ingress, formatBytes(bw.today.ingress));
  showValue('bandwidth-today-egress', bw.today.egress, formatBytes(bw.today.egress));
  showValue('bandwidth-month', bw.month.ingress + bw.month.egress, formatBytes(bw.month.ingress + bw.month.egress));
  showValue('bandwidth-month-ingress', bw.month.ingress, formatBytes(bw.month.ingress));
  showValue('bandwidth-month-egress', bw.month.egress, formatBytes(bw.month.egress));
  bandwidthDays = bw.days.map((d) => d.day);
  bandwidthChart.update(
    bw.days.map((_, i) => i),
    [bw.days.map((d) => d.ingress), bw.days.map((d) => d.egress)]
  );
  byId('chart-bandwidth').dataset.days = bw.days.map((d) => d.day).join(',');

  const estimate = sumTokens(sats.map((s) => s.periodEstimate ?? '0'));
  showValue('estimate-total', estimate, formatTokens(estimate));
  const checkIns = new Map(node.satellites.map((s) => [s.id, s.lastCheckIn]));
  satellites.update(sats.map((s) => ({ ...s, lastCheckIn: checkIns.get(s.id) ?? null })));
  statements.update(earnings);

  lastHistory = [...lastHistory, ...newSamples].slice(-3000);
  updateHistory(lastHistory);
}

startPolling(refresh);
