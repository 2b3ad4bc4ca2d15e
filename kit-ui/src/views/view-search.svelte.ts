import { allOf, bindUser, containsText } from '$lib/filter-build';
import type { Filter, ModelMeta, ViewFilter } from '@atrium/protocol';

const SEARCH_DELAY_MS = 250;

/**
 * What the user searches and filters above a kanban or list: the view's declared filters (toggled, the
 * `default` ones on at first) and a text search over the model's display field. `filter` is what the
 * records API receives, and what live events are matched against.
 */
export class ViewSearch {
  text = $state('');
  active = $state<boolean[]>([]);
  private appliedText = $state('');
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly searchable: boolean;
  readonly filter: Filter | undefined;

  constructor(
    readonly filters: ViewFilter[],
    model: ModelMeta,
    userId: string,
  ) {
    this.active = filters.map((f) => f.default === true);
    this.searchable = model.display !== null && model.fields[model.display] !== undefined;
    this.filter = $derived(
      allOf(
        ...filters.filter((_, i) => this.active[i]).map((f) => bindUser(f.filter, userId)),
        this.searchable ? containsText(model.display!, this.appliedText) : undefined,
      ),
    );
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
}
