export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
}

let next = 0;

/** Short messages at the corner of the screen (a refused move, a saved record); they go by themselves. */
class Toasts {
  items = $state<Toast[]>([]);

  show(message: string, kind: Toast['kind'] = 'info', ms = kind === 'error' ? 7000 : 3500): void {
    const id = ++next;
    this.items.push({ id, kind, message });
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
