import { conditionFilter, type CustomCondition } from '$lib/custom-condition';
import { allOf, anyOf, bindUser, containsText } from '$lib/filter-build';
import type { Filter, ModelMeta, ViewFilter } from '@atrium/protocol';
import type { ViewState } from '$lib/view-state';

const SEARCH_DELAY_MS = 250;

/** The part of a view's state the search bar owns (and a favourite keeps, with the sort). */
export type SearchState = Pick<ViewState, 'search' | 'filters' | 'custom' | 'groupBy'>;

/**
 * What the user searches and filters above a kanban or list: the text, searched in the fields of the
 * model's search view; the view's declared filters (those of one group OR-ed, groups AND-ed, the
 * `default` ones on at first); custom conditions; and the list's grouping. `filter` is what the records
 * API receives, and what live events are matched against.
 */
export class ViewSearch {
  text = $state('');
  active = $state<boolean[]>([]);
  custom = $state<CustomCondition[]>([]);
  groupBy = $state<string[]>([]);
  private appliedText = $state('');
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly searchable: boolean;
  readonly filter: Filter | undefined;

  constructor(
    readonly filters: ViewFilter[],
    readonly model: ModelMeta,
    userId: string,
    initial: SearchState,
  ) {
    const fields = (model.search ?? []).filter((f) => model.fields[f]);
    this.searchable = fields.length > 0;
    this.apply(initial);
    this.filter = $derived.by(() => {
      const groups = new Map<string, Filter[]>();
      filters.forEach((f, i) => {
        if (!this.active[i]) return;
        const group = f.group ?? `#${i}`;
        groups.set(group, [...(groups.get(group) ?? []), bindUser(f.filter, userId)]);
      });
      return allOf(
        ...[...groups.values()].map((members) => anyOf(...members)),
        ...this.custom.map((c) => conditionFilter(c, model.fields)),
        anyOf(...fields.map((f) => containsText(f, this.appliedText))),
      );
    });
  }

  /** Where the search stands, for the URL and for a favourite. */
  get state(): SearchState {
    const defaults = this.filters.map((f) => f.default === true);
    const changed = this.active.some((on, i) => on !== defaults[i]);
    return {
      search: this.text,
      filters: changed ? this.filters.filter((_, i) => this.active[i]).map((f) => f.label) : null,
      custom: this.custom,
      groupBy: this.groupBy,
    };
  }

  /** Puts the search where a URL or a favourite says, at once (no typing delay). */
  apply(state: SearchState): void {
    clearTimeout(this.timer);
    this.text = this.appliedText = state.search;
    this.active = this.filters.map((f) => (state.filters ? state.filters.includes(f.label) : f.default === true));
    this.custom = state.custom;
    this.groupBy = state.groupBy.filter((f) => this.model.fields[f]?.groupable);
  }

  /** Typing waits a moment before searching, so each key press does not reload the view. */
  setText(text: string): void {
    this.text = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.appliedText = text), text ? SEARCH_DELAY_MS : 0);
  }

  toggle(index: number): void {
    this.active[index] = !this.active[index];
  }

  addCondition(condition: CustomCondition): void {
    this.custom = [...this.custom, condition];
  }

  removeCondition(index: number): void {
    this.custom = this.custom.filter((_, i) => i !== index);
  }

  toggleGroupBy(field: string): void {
    this.groupBy = this.groupBy.includes(field) ? this.groupBy.filter((f) => f !== field) : [...this.groupBy, field];
  }
}
