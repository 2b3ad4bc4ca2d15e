import type { GroupKey } from './kanban-columns';

/**
 * The columns a user folded or opened on a board, kept in this browser per view, so a reload (or the
 * next visit) shows the board as they left it. Only the user's own choices are kept: a column they never
 * touched follows its record's `fold`.
 */
export class FoldedColumns {
  private readonly key: string;

  constructor(viewId: string) {
    this.key = `atrium.kanban.folded.${viewId}`;
  }

  private read(): Record<string, boolean> {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? '{}') as Record<string, boolean>;
    } catch {
      return {};
    }
  }

  /** The user's choice for a column, if they made one. */
  choice(column: GroupKey): boolean | undefined {
    return this.read()[String(column)];
  }

  remember(column: GroupKey, folded: boolean): void {
    localStorage.setItem(this.key, JSON.stringify({ ...this.read(), [String(column)]: folded }));
  }
}
