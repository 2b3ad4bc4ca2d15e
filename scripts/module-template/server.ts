import { defineModule } from '@atrium/core';
import type { Models } from './models.generated.ts';

/**
 * Behaviour of the __NAME__ module: hooks run inside the write's transaction, for this tenant only.
 * `Models` (npm run types, from manifest.json) types each hook's records, values and action parameters.
 */
export default defineModule<Models>({
  models: {
    '__NAME__.item': {
      beforeWrite(ctx) {
        if (ctx.has('name') && typeof ctx.values.name === 'string') ctx.values.name = ctx.values.name.trim();
      },
      actions: {
        finish: () => ({ state: 'done' }),
      },
    },
  },
});
