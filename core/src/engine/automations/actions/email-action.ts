import { AtriumError } from '../../../kernel/errors.ts';
import type { RecordData } from '../../../kernel/record-types.ts';
import { checkRecipients, insertMailSql } from '../../mail/mail-outbox.ts';
import type { ActionKind } from './action-kind.ts';
import { checkText, fillTemplate, resolveValues } from './action-values.ts';

/**
 * `{"type": "email", "to": ["a@b.example" | {"$field": "email"}], "subject", "body"}`: a mail through the
 * mail outbox (core_mails), written in the write's transaction and delivered after commit like any mail.
 */
export const emailAction: ActionKind = {
  type: 'email',
  check(action, { model, path }) {
    const to = action.to;
    if (!Array.isArray(to) || to.length === 0 || to.length > 20)
      throw AtriumError.invalidField(`${path}.to`, 'type', 'must list 1 to 20 addresses or {"$field": …}');
    to.forEach((item, i) => {
      const field = item !== null && typeof item === 'object' ? (item as RecordData).$field : undefined;
      if (typeof item !== 'string' && !(typeof field === 'string' && Object.hasOwn(model.fields, field)))
        throw AtriumError.invalidField(`${path}.to.${i}`, 'type', `must be an address or {"$field": <a field of ${model.label}>}`);
    });
    const subject = checkText(action.subject, `${path}.subject`, 10_000);
    const body = checkText(action.body, `${path}.body`, 10_000);
    return { type: 'email', to, subject, body };
  },
  async run(action, { model, change, tenantId, unit, afterCommit }) {
    const recipients = Object.values(resolveValues({ ...(action.to as unknown[]) } as RecordData, change.record))
      .flat()
      .filter((x): x is string => typeof x === 'string' && x !== '');
    checkRecipients(recipients);
    await unit.tx.query(
      insertMailSql({
        tenantId,
        model: model.id,
        recordId: change.record.id as string,
        createdBy: null,
        to: recipients,
        subject: fillTemplate(action.subject as string, change.record),
        body: fillTemplate(action.body as string, change.record),
      }),
    );
    afterCommit('mail');
  },
};
