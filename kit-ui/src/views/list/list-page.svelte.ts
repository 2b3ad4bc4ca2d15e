import { errorMessage } from '$lib/api';
import { kindsOf, matchesFilter, money } from '@atrium/protocol';
import { filterTotals } from '$lib/filter-totals';
import { applyEvent } from '$lib/live-store';
import type { Filter, ListViewMeta, ModelMeta, RecordData, RecordEvent } from '@atrium/protocol';
import { recordComparator } from '@atrium/protocol';
import { recordsApi } from '$lib/records-api';

export const PAGE_SIZE = 50;
const REFRESH_DELAY_MS = 150;

/**
 * One page of a list view: its rows, the total count, and the sums over every matching record. Live
 * events change the rows shown in place; the total and sums are asked again a moment later.
 */
export class ListPage {
  rows = $state<RecordData[]>([]);
  total = $state(0);
  capped = $state(false);
  offset = $state(0);
  /** The offset of the page asked for last: what a reload, a resync and the URL hold while it loads. */
  requested = $state(0);
  /** "name" or "-amount"; empty is the model's order. */
  sort = $state('');
  /** Sums over the filter; `pageOnly` when only the visible page could be summed. */
  sums = $state<{ values: Record<string, string>; pageOnly: boolean } | null>(null);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | null>(null);
  private filter: Filter | undefined;
  private loads = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly modelId: string,
    readonly model: ModelMeta,
    readonly view: ListViewMeta,
  ) {}

  private get order(): string {
    return this.sort || this.model.order;
  }

  /** The same page again, for the same filter (a resync). */
  reload(): Promise<void> {
    return this.load(this.filter, this.requested);
  }

  /** Loads a page for a filter (none: undefined); a new filter starts at the first page. */
  async load(filter: Filter | undefined, offset = 0): Promise<void> {
    this.filter = filter;
    this.requested = offset;
    const load = ++this.loads;
    try {
      const page = await recordsApi.list(this.modelId, { filter, sort: this.sort || undefined, limit: PAGE_SIZE, offset });
      if (load !== this.loads) return;
      this.rows = page.data;
      this.total = page.total;
      this.capped = page.total_capped === true;
      this.offset = offset;
      this.status = 'ready';
      void this.loadSums(load);
    } catch (error) {
      if (load !== this.loads) return;
      this.status = 'error';
      this.error = errorMessage(error, 'The list could not be loaded');
    }
  }

  private async loadSums(load: number): Promise<void> {
    const fields = (this.view.sum ?? []).filter((f) => this.model.fields[f]);
    if (fields.length === 0) return;
    const values = await filterTotals(this.modelId, this.model, fields, this.filter).catch(() => null);
    if (load !== this.loads) return;
    this.sums = values
      ? { values, pageOnly: false }
      : {
          values: Object.fromEntries(fields.map((f) => [f, money.sum(this.rows.map((r) => r[f] as string | number | null))])),
          pageOnly: true,
        };
  }

  sortBy(field: string): void {
    this.sort = this.sort === field ? `-${field}` : this.sort === `-${field}` ? '' : field;
    void this.load(this.filter, 0);
  }

  page(step: -1 | 1): void {
    void this.load(this.filter, Math.max(0, this.offset + step * PAGE_SIZE));
  }

  applyEvent(event: RecordEvent): void {
    if (event.model !== this.modelId) return;
    const compare = recordComparator(this.model, this.order);
    const laterPages = this.offset + this.rows.length < this.total;
    const next = applyEvent(
      this.rows,
      event,
      (r) => !this.filter || matchesFilter(this.filter, r, kindsOf(this.model)),
      compare,
      laterPages,
    );
    if (next) this.rows = next.slice(0, PAGE_SIZE);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refreshCounts(), REFRESH_DELAY_MS);
  }

  /** The total and sums again, after changes from elsewhere. */
  private async refreshCounts(): Promise<void> {
    const load = this.loads;
    const page = await recordsApi.list(this.modelId, { filter: this.filter, limit: 1 }).catch(() => null);
    if (!page || load !== this.loads) return;
    this.total = page.total;
    this.capped = page.total_capped === true;
    await this.loadSums(load);
  }
}
