import { ApiError, errorMessage } from '$lib/api';
import { allOf } from '$lib/filter-build';
import { kindsOf, matchesFilter } from '@atrium/protocol';
import { applyEvent } from '$lib/live-store';
import type { Filter, KanbanViewMeta, Meta, ModelMeta, RecordData, RecordEvent } from '@atrium/protocol';
import { insertSorted, recordComparator } from '@atrium/protocol';
import { recordsApi } from '$lib/records-api';
import { toasts } from '$lib/toasts.svelte';
import { sequenceChanges } from './card-sequence';
import { FoldedColumns } from './folded-columns';
import { ActivityCounts } from './activity-counts.svelte';
import { columnFilter, declaredColumns, groupKeyOf, withDataColumns, type ColumnDef, type GroupKey } from './kanban-columns';

export interface Column extends ColumnDef {
  /** Count and sum of every matching record, from `/groups` (not only the cards loaded). */
  count: number;
  sum?: string | number;
  cards: RecordData[];
  /** Cards are fetched when the column is first shown unfolded. */
  loaded: boolean;
}

const PAGE_SIZE = 40;
const REFRESH_DELAY_MS = 120;

/**
 * A kanban board's data: columns with their counts, sums and cards. Every write goes through the records
 * API; a move shows at once and is undone (with a message) when the server refuses it. Live events and
 * the server's answers are placed with the same code, so a card is never shown twice.
 */
export class KanbanBoard {
  columns = $state<Column[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | null>(null);
  /** The card being dragged, and where it would land. */
  dragging = $state<{ id: string; from: GroupKey } | null>(null);
  dropTarget = $state<{ key: GroupKey; beforeId: string | null } | null>(null);
  /** Keys of the columns folded once the user (or the URL) chose; null: as each column declares. */
  foldedKeys = $state<GroupKey[] | null>(null);

  readonly groupBy: string;
  /** The cards' activity counts, when the model has a chatter. */
  readonly activities: ActivityCounts | null;
  /** Cards are ordered by `sequence` when the model has one, so they can be reordered within a column. */
  readonly sequenced: boolean;
  private readonly sort: string;
  private readonly compare: (a: RecordData, b: RecordData) => number;
  private filter: Filter | undefined;
  private loads = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly foldChoices: FoldedColumns;

  constructor(
    readonly view: KanbanViewMeta,
    readonly model: ModelMeta,
    private readonly meta: Meta,
    /** Whether the user may write a field of a card (their ability and the field's metadata). */
    readonly canWrite: (card: RecordData, field: string) => boolean,
  ) {
    this.groupBy = view.group_by;
    this.activities = model.chatter ? new ActivityCounts(view.model) : null;
    this.foldChoices = new FoldedColumns(view.id);
    this.sequenced = model.fields.sequence?.kind === 'integer';
    this.sort = this.sequenced ? `sequence,${model.order}` : model.order;
    this.compare = recordComparator(model, this.sort);
  }

  get groupField() {
    return this.model.fields[this.groupBy];
  }

  /** Loads the board again, for the same filter (a stage changed, a resync). */
  reload(): Promise<void> {
    return this.load(this.filter);
  }

  /** Loads the board for a filter (none: undefined); an older load that finishes late is dropped. */
  async load(filter: Filter | undefined): Promise<void> {
    this.filter = filter;
    const load = ++this.loads;
    void this.activities?.load();
    try {
      const [declared, groups] = await Promise.all([declaredColumns(this.meta, this.groupField), this.groups()]);
      const byKey = new Map(groups.map((g) => [g.key, g]));
      const previous = new Map(this.columns.map((c) => [c.key, c]));
      const columns: Column[] = withDataColumns(declared, groups).map((def) => ({
        ...def,
        // A column the user opened or closed stays so while the board reloads; a link's folded columns (the URL) win
        // over the user's last choice on this browser, which wins over the view's default.
        folded:
          previous.get(def.key)?.folded ??
          (this.foldedKeys ? this.foldedKeys.includes(def.key) : (this.foldChoices.choice(def.key) ?? def.folded)),
        count: byKey.get(def.key)?.count ?? 0,
        sum: byKey.get(def.key)?.sum,
        cards: [],
        loaded: false,
      }));
      const pages = await Promise.all(columns.map((c) => (c.folded ? null : this.cards(c.key, 0))));
      if (load !== this.loads) return;
      columns.forEach((column, i) => {
        if (pages[i]) Object.assign(column, { cards: pages[i], loaded: true });
      });
      this.columns = columns;
      this.status = 'ready';
      this.error = null;
    } catch (error) {
      if (load !== this.loads) return;
      this.status = 'error';
      this.error = errorMessage(error);
    }
  }

  private groups() {
    return recordsApi.groups(this.view.model, this.groupBy, { sum: this.view.sum, filter: this.filter });
  }

  private async cards(key: GroupKey, offset: number): Promise<RecordData[]> {
    const page = await recordsApi.list(this.view.model, {
      filter: allOf(this.filter, columnFilter(this.groupBy, key)),
      sort: this.sort,
      limit: PAGE_SIZE,
      offset,
    });
    return page.data;
  }

  async loadMore(column: Column): Promise<void> {
    const more = await this.cards(column.key, column.cards.length);
    const known = new Set(column.cards.map((c) => c.id));
    column.cards = [...column.cards, ...more.filter((c) => !known.has(c.id))];
  }

  async toggleFold(column: Column): Promise<void> {
    column.folded = !column.folded;
    this.foldedKeys = this.columns.filter((c) => c.folded).map((c) => c.key);
    this.foldChoices.remember(column.key, column.folded);
    if (!column.folded && !column.loaded) {
      column.cards = await this.cards(column.key, 0);
      column.loaded = true;
    }
  }

  /** Counts and sums again, a moment after changes settle (several events in a row cost one request). */
  private refreshGroups(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(async () => {
      const groups = await this.groups().catch(() => null);
      if (!groups) return;
      if (groups.some((g) => !this.columns.some((c) => c.key === g.key))) return this.reloadSoon();
      for (const column of this.columns) {
        const group = groups.find((g) => g.key === column.key);
        column.count = group?.count ?? 0;
        column.sum = group?.sum;
      }
    }, REFRESH_DELAY_MS);
  }

  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), REFRESH_DELAY_MS);
  }

  private belongs(column: Column, record: RecordData): boolean {
    return groupKeyOf(record[this.groupBy]) === column.key && (!this.filter || matchesFilter(this.filter, record, kindsOf(this.model)));
  }

  /** A change from the socket: the card appears, moves, changes or goes; columns follow their model. */
  applyEvent(event: RecordEvent): void {
    if (event.model === this.groupField.model) return this.reloadSoon();
    if (event.model !== this.view.model) return;
    // Each column judges only its own cards: one shown newer in another column must not come back here.
    const shown = this.find(event.id);
    if (shown && event.version < shown.version) return;
    for (const column of this.columns) {
      if (!column.loaded) continue;
      const next = applyEvent(column.cards, event, (r) => this.belongs(column, r), this.compare, column.count > column.cards.length);
      if (next) column.cards = next;
    }
    this.refreshGroups();
  }

  /**
   * Shows a record where it belongs now: an optimistic move, its undoing, the server's answer. Unlike a
   * live event it may show the same version again; only a newer version already shown wins over it.
   */
  private place(record: RecordData): void {
    const shown = this.find(record.id);
    if (shown && shown.version > record.version) return;
    for (const column of this.columns) {
      const without = column.cards.filter((c) => c.id !== record.id);
      if (column.loaded && this.belongs(column, record)) column.cards = insertSorted(without, record, this.compare);
      else if (without.length !== column.cards.length) column.cards = without;
    }
  }

  private find(id: string): RecordData | undefined {
    for (const column of this.columns) {
      const card = column.cards.find((c) => c.id === id);
      if (card) return card;
    }
    return undefined;
  }

  /**
   * Saves a change to a card with `If-Match`, showing `optimistic` at once. When the server refuses, the
   * card goes back — to the server's current version on a conflict — and the user is told why.
   */
  private async write(card: RecordData, patch: Record<string, unknown>, optimistic: RecordData): Promise<void> {
    this.place(optimistic);
    try {
      this.place(await recordsApi.update(this.view.model, card.id, patch, card.version));
    } catch (error) {
      const current =
        error instanceof ApiError && error.status === 409 ? (error.details as { current?: RecordData } | undefined)?.current : undefined;
      const name = this.model.display ? String(card[this.model.display] ?? '') : '';
      if (current) {
        this.place(current);
        toasts.show(
          `${name ? `“${name}”` : 'This card'} was changed by someone else, so your change was not saved. It now shows their version.`,
          'error',
        );
      } else {
        this.place(card);
        toasts.show(errorMessage(error), 'error');
      }
    } finally {
      this.refreshGroups();
    }
  }

  /** Drops a card in a column, before another card (or at the end). */
  async move(id: string, to: GroupKey, beforeId: string | null): Promise<void> {
    const card = this.find(id);
    const target = this.columns.find((c) => c.key === to);
    if (!card || !target) return;
    const changesColumn = groupKeyOf(card[this.groupBy]) !== to;
    const patch: Record<string, unknown> = changesColumn ? { [this.groupBy]: to } : {};
    const moved: RecordData = { ...card, ...(changesColumn ? { [this.groupBy]: this.valueFor(target) } : {}) };
    let neighbours: { id: string; sequence: number }[] = [];
    if (this.sequenced && this.canWrite(card, 'sequence')) {
      const others = target.cards.filter((c) => c.id !== id);
      const at = beforeId ? others.findIndex((c) => c.id === beforeId) : -1;
      const ordered = at < 0 ? [...others, moved] : [...others.slice(0, at), moved, ...others.slice(at)];
      const changes = sequenceChanges(ordered, id);
      const own = changes.find((c) => c.id === id);
      if (own) patch.sequence = moved.sequence = own.sequence;
      neighbours = changes.filter((c) => c.id !== id);
    }
    if (Object.keys(patch).length === 0) return;
    await this.write(card, patch, moved);
    // Renumbering the neighbours only orders cards: a refusal there is not worth a message.
    await Promise.all(
      neighbours.map(async ({ id: other, sequence }) => {
        const neighbour = this.find(other);
        if (neighbour) this.place(await recordsApi.update(this.view.model, other, { sequence }, neighbour.version).catch(() => neighbour));
      }),
    );
  }

  /** Sets one field of a card from the board (a priority star). */
  setField(card: RecordData, field: string, value: unknown): Promise<void> {
    return this.write(card, { [field]: value }, { ...card, [field]: value });
  }

  /** The group-by value of a column, in the shape a record holds it (a many2one as {id, display}). */
  private valueFor(column: Column): unknown {
    return this.groupField.kind === 'reference' && column.key !== null ? { id: column.key, display: column.label } : column.key;
  }

  /** Quick create at the top of a column; the new card shows in the column at once. */
  async quickCreate(column: Column, values: Record<string, unknown>): Promise<RecordData> {
    const created = await recordsApi.create(this.view.model, { ...values, [this.groupBy]: column.key });
    this.place(created);
    this.refreshGroups();
    return created;
  }

  /** "Add a column": a new record of the group-by target (a stage), after the last one. */
  async addColumn(name: string): Promise<void> {
    const targetId = this.groupField.model!;
    const target = this.meta.models[targetId];
    const values: Record<string, unknown> = { [target.display!]: name };
    if (target.fields.sequence?.kind === 'integer') {
      const last = await recordsApi.list(targetId, { sort: '-sequence', limit: 1 });
      values.sequence = Number(last.data[0]?.sequence ?? 0) + 1;
    }
    await recordsApi.create(targetId, values);
    await this.reload();
  }
}
