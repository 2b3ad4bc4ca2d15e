import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Transaction } from '../../store/database.ts';

interface PendingEvent {
  model: ModelDef;
  id: string;
  op: 'created' | 'updated';
  changed: string[];
}

/** One transaction's writes: statements run as they come, events wait for the final round trip. */
export class WriteUnit {
  readonly events: PendingEvent[] = [];
  constructor(readonly tx: Transaction) {}
}
