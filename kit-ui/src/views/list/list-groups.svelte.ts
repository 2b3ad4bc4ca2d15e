import { allOf } from '$lib/filter-build';
import type { Filter, ModelMeta, RecordData } from '@atrium/protocol';
import { recordsApi } from '$lib/records-api';
import { columnFilter, groupKeyOf, type GroupKey } from '../kanban/kanban-columns';

/** Records shown under an open group of the last level; more are a filter away. */
export const GROUP_ROWS = 80;

/** One group of a grouped list: its count and sums from `/groups`, and, once opened, its subgroups or rows. */
export class GroupNode {
  open = $state(false);
  children = $state<GroupNode[] | null>(null);
  rows = $state<RecordData[] | null>(null);

  constructor(
    readonly key: GroupKey,
    readonly label: string,
    readonly count: number,
    readonly sums: Record<string, string | number | undefined>,
    /** The records of this group: the list's filter and every level's key down to here. */
    readonly filter: Filter | undefined,
    readonly depth: number,
  ) {}
}

/**
 * A list grouped by one or more fields (docs/api.md, groups): each level asks `/groups` once per summed
 * column, under the filter of the group above it; the last level opens onto the records themselves.
 */
export class ListGroups {
  roots = $state<GroupNode[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  private loads = 0;

  constructor(
    readonly modelId: string,
    readonly model: ModelMeta,
    readonly sums: string[],
  ) {}

  private async level(by: string, filter: Filter | undefined, depth: number): Promise<GroupNode[]> {
    const answers = await Promise.all(
      (this.sums.length > 0 ? this.sums : [undefined]).map((sum) => recordsApi.groups(this.modelId, by, { sum, filter })),
    );
    return answers[0].map((group, i) => {
      const key = groupKeyOf(group.key);
      const sums = Object.fromEntries(this.sums.map((field, j) => [field, answers[j][i]?.sum]));
      const label = group.key === null ? 'None' : (group.label ?? String(group.key));
      return new GroupNode(key, label, group.count, sums, allOf(filter, columnFilter(by, key)), depth);
    });
  }

  /** The first level again; groups that were open are opened again (a live change, a new filter). */
  async load(groupBy: string[], filter: Filter | undefined, sort: string): Promise<void> {
    const load = ++this.loads;
    const wasOpen = new Map(this.roots.map((n) => [n.key, n]));
    try {
      const roots = await this.level(groupBy[0], filter, 0);
      if (load !== this.loads) return;
      await Promise.all(roots.map((n) => (wasOpen.get(n.key)?.open ? this.expand(n, groupBy, sort, wasOpen.get(n.key)!) : undefined)));
      if (load !== this.loads) return;
      this.roots = roots;
      this.status = 'ready';
    } catch {
      if (load === this.loads) this.status = 'error';
    }
  }

  private async expand(node: GroupNode, groupBy: string[], sort: string, previous?: GroupNode): Promise<void> {
    node.open = true;
    if (node.depth + 1 < groupBy.length) {
      const children = await this.level(groupBy[node.depth + 1], node.filter, node.depth + 1);
      const before = new Map((previous?.children ?? []).map((n) => [n.key, n]));
      await Promise.all(children.map((c) => (before.get(c.key)?.open ? this.expand(c, groupBy, sort, before.get(c.key)) : undefined)));
      node.children = children;
    } else {
      node.rows = (await recordsApi.list(this.modelId, { filter: node.filter, sort: sort || undefined, limit: GROUP_ROWS })).data;
    }
  }

  async toggle(node: GroupNode, groupBy: string[], sort: string): Promise<void> {
    if (node.open) node.open = false;
    else await this.expand(node, groupBy, sort);
  }
}
