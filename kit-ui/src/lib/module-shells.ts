import type { ShellHooks, ShellModelHooks, ShellPreviewContext } from '@atrium/protocol';
import type { RecordData } from '@atrium/protocol';
import { recordsApi } from './records-api';

// Every module's optional shell.ts (docs/modules.md), bundled into the shell when it is built. Hooks of a
// module the tenant has switched off never run: its models are not in the tenant's meta.
const modules = import.meta.glob<ShellHooks>('../../../modules/*/shell.ts', { eager: true, import: 'default' });

/** The shell hooks a module declares for a model, if any. */
export function shellHooks(modelId: string): ShellModelHooks | undefined {
  for (const hooks of Object.values(modules)) if (hooks.models?.[modelId]) return hooks.models[modelId];
  return undefined;
}

/** What a preview may read: records by id through the records API, each asked for once per form. */
export function previewContext(currency: string): ShellPreviewContext {
  const cache = new Map<string, Promise<RecordData | null>>();
  const one = (model: string, id: string): Promise<RecordData | null> => {
    const key = `${model}/${id}`;
    if (!cache.has(key))
      cache.set(
        key,
        recordsApi.get(model, id).catch(() => null),
      );
    return cache.get(key)!;
  };
  return {
    currency,
    read: async (model, ids) => (await Promise.all(ids.map((id) => one(model, id)))).filter((r): r is RecordData => r !== null),
  };
}
