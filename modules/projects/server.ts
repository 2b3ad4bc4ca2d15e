import { defineModule } from '@atrium/core';
import type { Models } from './models.generated.ts';

/** Projects: a new task without a stage starts in the tenant's first stage (by sequence). */
export default defineModule<Models>({
  models: {
    'projects.task': {
      async beforeWrite(ctx) {
        if (ctx.op !== 'create' || ctx.values.stage) return;
        const [first] = await ctx.records.find('projects.stage', {}, { sort: 'sequence,name', limit: 1 });
        if (first) ctx.values.stage = first.id;
      },
    },
  },
});
