// A table that sorts by a column when its heading is clicked (again: the other way), and keeps
// the order across refreshes.
import { h, replaceChildren } from './dom.js';

export interface Column<T> {
  key: string;
  label: string;
  /** What the column sorts by. */
  sortValue: (row: T) => number | string;
  /** What the cell shows; a plain text by default. */
  render?: (row: T) => Node | string;
  numeric?: boolean;
}

export class SortableTable<T> {
  private rows: T[] = [];
  private sortKey: string;
  private descending: boolean;
  private readonly thead = h('thead');
  private readonly tbody = h('tbody');

  constructor(
    container: HTMLElement,
    private readonly columns: Column<T>[],
    private readonly rowId: (row: T) => string,
    initial: { key: string; descending?: boolean },
    private readonly empty = 'nothing yet'
  ) {
    this.sortKey = initial.key;
    this.descending = initial.descending ?? false;
    container.replaceChildren(h('table', { class: 'table' }, this.thead, this.tbody));
    this.renderHead();
  }

  update(rows: T[]): void {
    this.rows = rows;
    this.renderBody();
  }

  sortBy(key: string): void {
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = false;
    }
    this.renderHead();
    this.renderBody();
  }

  private renderHead(): void {
    const cells = this.columns.map((c) => {
      const arrow = c.key === this.sortKey ? (this.descending ? ' ▼' : ' ▲') : '';
      const th = h('th', { 'data-col': c.key, class: c.numeric ? 'num sortable' : 'sortable', 'aria-sort': c.key === this.sortKey ? (this.descending ? 'descending' : 'ascending') : undefined }, c.label + arrow);
      th.addEventListener('click', () => this.sortBy(c.key));
      return th;
    });
    replaceChildren(this.thead, h('tr', {}, ...cells));
  }

  private renderBody(): void {
    const col = this.columns.find((c) => c.key === this.sortKey) ?? this.columns[0]!;
    const sorted = [...this.rows].sort((a, b) => {
      const x = col.sortValue(a);
      const y = col.sortValue(b);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return this.descending ? -order : order;
    });
    if (sorted.length === 0) {
      replaceChildren(this.tbody, h('tr', {}, h('td', { colspan: this.columns.length, class: 'muted' }, this.empty)));
      return;
    }
    replaceChildren(
      this.tbody,
      ...sorted.map((row) =>
        h('tr', { 'data-row': this.rowId(row) }, ...this.columns.map((c) => h('td', { 'data-col': c.key, 'data-value': String(c.sortValue(row)), class: c.numeric ? 'num' : undefined }, c.render ? c.render(row) : String(c.sortValue(row)))))
      )
    );
  }
}
