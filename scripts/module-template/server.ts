import { defineModule } from '@atrium/core';

/** Behaviour of the __NAME__ module: hooks run inside the write's transaction, for this tenant only. */
export default defineModule({
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
