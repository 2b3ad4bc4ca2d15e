import { untrack } from 'svelte';
import { replaceState } from '$app/navigation';
import { page } from '$app/state';
import { readViewState, viewStateQuery, type ViewState } from './view-state';

/** The state the page's URL holds, when a view opens (a reload, a shared link). */
export const viewStateFromUrl = (): ViewState => readViewState(page.url.searchParams);

/**
 * Keeps a view's state in its URL as it changes, replacing the history entry (a search does not add a
 * step to "back"). Call while a component initialises.
 */
export function keepViewStateInUrl(state: () => ViewState): void {
  $effect(() => {
    const query = viewStateQuery(state()).toString();
    untrack(() => {
      if (page.url.search.replace(/^\?/, '') === query) return;
      const url = new URL(page.url);
      url.search = query;
      replaceState(url, page.state);
    });
  });
}
