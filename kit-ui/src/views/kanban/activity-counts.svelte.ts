import { chatterApi } from '$lib/chatter-api';

/**
 * Open and overdue activities per card (Odoo's clock on a kanban card), for a model with a chatter: loaded
 * with the board, loaded again when an activity of the model is scheduled or done (a `chatter` frame).
 */
export class ActivityCounts {
  private counts = $state<Record<string, { open: number; overdue: number }>>({});
  private loads = 0;

  constructor(private readonly model: string) {}

  of(id: string): { open: number; overdue: number } | undefined {
    return this.counts[id];
  }

  async load(): Promise<void> {
    const load = ++this.loads;
    const rows = await chatterApi.counts(this.model).catch(() => null);
    if (rows && load === this.loads) this.counts = Object.fromEntries(rows.map((r) => [r.id, { open: r.open, overdue: r.overdue }]));
  }
}
