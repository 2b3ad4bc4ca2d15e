import type { Component } from 'svelte';
import type { FormViewMeta, KanbanViewMeta, ListViewMeta, ViewMeta } from '@atrium/protocol';
import FormView from './form/FormView.svelte';
import KanbanView from './kanban/KanbanView.svelte';
import ListView from './list/ListView.svelte';

/**
 * The renderers of view types. Each reads only what `/api/meta` declares and writes only through
 * `/api/records`; a new view type is a new entry here.
 */
export const collectionViews: { [T in Exclude<ViewMeta['type'], 'form'>]: Component<{ view: Extract<ViewMeta, { type: T }> }> } = {
  kanban: KanbanView as Component<{ view: KanbanViewMeta }>,
  list: ListView as Component<{ view: ListViewMeta }>,
};

/** The renderer of one record; `parent` is the view it was opened from (for the breadcrumb and "back"). */
export const recordView: Component<{ view: FormViewMeta; parent: ViewMeta; recordId: string | null }> = FormView;
