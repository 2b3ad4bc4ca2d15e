import { AtriumError, defineModule, relationId, type ActionContext, type WriteContext } from '@atrium/core';
import type { Models } from './models.generated.ts';

const LEAD = 'crm.lead';
const STAGE = 'crm.stage';
const LOST_REASON = 'crm.lost_reason';

const today = (): string => new Date().toISOString().slice(0, 10);

const missing = (field: string): AtriumError =>
  AtriumError.invalidField(field, 'relation', 'refers to a record that does not exist or that you may not see');

/**
 * A new lead starts in the first stage (as in Odoo); a won stage forces the probability to 100 (unless
 * the write loses the lead) and dates the closing; leaving it clears that date.
 */
async function beforeWriteLead(ctx: WriteContext<Models, typeof LEAD>): Promise<void> {
  const { values, current } = ctx;
  if (ctx.op === 'create' && !values.stage) {
    const [first] = await ctx.records.find(STAGE, {}, { limit: 1 });
    if (!first) throw AtriumError.invalidField('stage', 'required', 'is required: the pipeline has no stage yet');
    values.stage = first.id;
  }
  if (ctx.has('stage') && values.stage === null) throw AtriumError.invalidField('stage', 'required', 'is required');
  if (!ctx.has('stage') && !ctx.has('probability')) return;

  const stageId = ctx.has('stage') ? relationId(values.stage) : relationId(current?.stage);
  const stage = stageId ? await ctx.records.get(STAGE, stageId) : null;
  if (!stage) throw missing('stage');
  if (stage.is_won && values.archived !== true) values.probability = 100;
  if (ctx.has('stage') && stageId !== relationId(current?.stage)) values.closed_on = stage.is_won ? today() : null;
}

/**
 * A stage added after the won stage (the kanban's "Add a column" puts it last) goes just before it: won
 * ends a pipeline, so a stage after it would be a step no open lead reaches.
 */
async function beforeCreateStage(ctx: WriteContext<Models, typeof STAGE>): Promise<void> {
  const { values } = ctx;
  if (ctx.op !== 'create' || values.is_won) return;
  const [won] = await ctx.records.find(STAGE, { is_won: true }, { limit: 1 });
  const sequence = values.sequence ?? 10;
  if (won && typeof won.sequence === 'number' && sequence >= won.sequence) values.sequence = won.sequence - 1;
}

/** The tenant's won stage: the first one marked won. */
async function wonStage(ctx: ActionContext<Models, typeof LEAD>): Promise<Models[typeof STAGE]['record']> {
  const [won] = await ctx.records.find(STAGE, { is_won: true }, { limit: 1 });
  if (!won) throw AtriumError.conflict('No stage is marked as won: mark one in the CRM stages first');
  return won;
}

export default defineModule<Models>({
  // A lead's probability: a number from 0 to 100, shown with "%" and grouped by (the core has no percent type).
  fieldTypes: [{ name: 'percent', base: 'number', defaults: { min: 0, max: 100 }, groupable: true, suffix: '%' }],
  models: {
    [STAGE]: { beforeWrite: beforeCreateStage },
    [LEAD]: {
      beforeWrite: beforeWriteLead,
      actions: {
        mark_won: async (ctx) => ({ stage: (await wonStage(ctx)).id }),
        mark_lost: async (ctx) => {
          const reason = await ctx.records.get(LOST_REASON, String(ctx.params.lost_reason));
          if (!reason) throw missing('lost_reason');
          return { lost_reason: reason.id, archived: true, probability: 0, closed_on: today() };
        },
        restore: () => ({ archived: false, lost_reason: null, closed_on: null }),
      },
    },
  },
});
