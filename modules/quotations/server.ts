import {
  AtriumError,
  defineModule,
  money,
  relationId,
  type ActionContext,
  type DeleteContext,
  type RecordData,
  type WriteContext,
} from '@atrium/core';
import { lineAmounts } from './quotation-lines.ts';
import { quotationTotals } from './totals.ts';

const QUOTATION = 'quotations.quotation';
const LINE = 'quotations.line';
const VALIDITY_DAYS = 30;

const addDays = (date: string, days: number): string => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Numbers, defaults on creation, and the amounts whenever lines change. The lock after confirmation is the
 * manifest's `readonly_when`, which the core enforces.
 */
async function beforeWriteQuotation(ctx: WriteContext): Promise<void> {
  const { values } = ctx;
  if (ctx.op === 'create') {
    // The counter row stays locked until this transaction ends: two creates never share a number.
    values.number = `S${String(await ctx.records.nextSequence(QUOTATION)).padStart(5, '0')}`;
    values.currency = ctx.tenant.currency;
    if (!values.validity_date && typeof values.date === 'string') values.validity_date = addDays(values.date, VALIDITY_DAYS);
    values.lines ??= [];
  }
  if (!ctx.has('lines')) return;

  const totals = quotationTotals(await lineAmounts(ctx), money.currencyPrecision(ctx.tenant.currency));
  (values.lines as RecordData[]).forEach((line, i) => {
    line.sequence = i + 1;
    line.subtotal = totals.subtotals[i];
  });
  values.amount_untaxed = totals.untaxed;
  values.amount_tax = totals.tax;
  values.amount_total = totals.total;
}

/**
 * Mails the quotation to its customer with its PDF attached; it becomes "sent" once the mail is
 * accepted (a quotation confirmed meanwhile stays confirmed: the lock refuses the change).
 */
async function sendQuotation({ record, records, tenant, sendMail }: ActionContext): Promise<void> {
  const customer = await records.get('contacts.partner', relationId(record.customer)!);
  const email = typeof customer?.email === 'string' ? customer.email : '';
  if (!email) throw AtriumError.conflict('The customer has no email address: add one to send the quotation');
  const total = new Intl.NumberFormat(tenant.locale, { style: 'currency', currency: tenant.currency }).format(
    String(record.amount_total) as Intl.StringNumericLiteral,
  );
  await sendMail({
    to: [email],
    subject: `${tenant.name}: quotation ${String(record.number)}`,
    body: `Hello ${String(customer!.name)},\n\nPlease find attached quotation ${String(record.number)}, amounting to ${total}.\n\nDo not hesitate to contact us if you have any questions.\n\n${tenant.name}`,
    report: 'quotation',
    onAccepted: { state: 'sent' },
  });
}

function beforeDeleteQuotation(ctx: DeleteContext): void {
  if (ctx.current.state !== 'draft' && ctx.current.state !== 'cancel') {
    throw AtriumError.conflict('Only quotations in draft or cancelled can be deleted: cancel it first');
  }
}

/** Lines change only with their quotation, whose amounts and lock depend on them. */
const throughQuotation = (ctx: WriteContext | DeleteContext): void => {
  if (!('parent' in ctx && ctx.parent)) throw AtriumError.forbidden('Quotation lines are changed through their quotation');
};

export default defineModule({
  models: {
    [QUOTATION]: {
      beforeWrite: beforeWriteQuotation,
      beforeDelete: beforeDeleteQuotation,
      actions: {
        send: sendQuotation,
        confirm: ({ record }) => {
          if ((record.lines as RecordData[]).length === 0)
            throw AtriumError.conflict('Add at least one line before confirming the quotation');
          return { state: 'sale' };
        },
        cancel: () => ({ state: 'cancel' }),
        reset_to_draft: () => ({ state: 'draft' }),
      },
    },
    [LINE]: { beforeWrite: throughQuotation, beforeDelete: throughQuotation },
  },
});
