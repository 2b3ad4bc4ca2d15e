import { AtriumError } from '../../kernel/errors.ts';
import type { ReportBlock } from '../../kernel/manifest/manifest-types.ts';
import type { ModelDef, ReportDef } from '../../kernel/registry/registry-types.ts';
import { checkFilter, isUuid } from '../../kernel/filter/filter-language.ts';
import { matchesCondition } from '../../kernel/filter/filter-match.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { sql } from '../../store/sql.ts';
import type { Transaction } from '../../store/database.ts';
import type { RecordContext } from '../records/record-context.ts';
import type { RecordReader } from '../records/record-reader.ts';
import { alignsRight, formatValue, type Locale } from './format-value.ts';
import type { DocumentBlock, ReportDocument } from './report-document.ts';
import { renderPdf } from './render-pdf.ts';

export interface RenderedReport {
  /** "<record display>.pdf" */
  filename: string;
  pdf: Buffer;
}

const has = (record: RecordData, field: string): boolean => Object.hasOwn(record, field);

/**
 * A record's report as a PDF, read as the user reads it: the record must be visible to them (404
 * otherwise) and a field they may not read is left out of the document (a column, a line, a block).
 */
export class ReportRenderer {
  constructor(
    private readonly ctx: RecordContext,
    private readonly reader: RecordReader,
  ) {}

  /** Inside `tx` when given (an action mailing the report reads what its transaction sees). */
  async render(modelId: string, id: string, name: string, tx?: Transaction): Promise<RenderedReport> {
    const model = this.ctx.model(modelId);
    const report = Object.hasOwn(model.reports, name) ? model.reports[name] : undefined;
    if (!report) throw AtriumError.notFound(`${model.label} has no report "${name}"`);
    this.ctx.requireAny('read', model);
    if (!isUuid(id)) throw AtriumError.notFound();
    const record = await this.reader.find(model, id, tx, false);
    if (!record) throw AtriumError.notFound();
    const doc = await this.document(model, report, record, tx);
    const display = model.display && record[model.display] != null ? String(record[model.display]) : report.label;
    return { filename: `${display}.pdf`, pdf: await renderPdf(doc) };
  }

  private async document(model: ModelDef, report: ReportDef, record: RecordData, tx?: Transaction): Promise<ReportDocument> {
    const { tenant } = this.ctx.scope;
    const locale: Locale = { locale: tenant.locale, currency: tenant.currency };
    const heading =
      (report.template.title ?? []).find(
        (t) => !t.when || matchesCondition(model, checkFilter(model, t.when, { source: 'when' }).condition!, record),
      )?.text ?? report.label;
    const display =
      model.display && has(record, model.display) ? ` ${formatValue(model.fields[model.display], record[model.display], locale)}` : '';
    const blocks: DocumentBlock[] = [];
    for (const block of report.template.blocks) {
      const built = await this.block(model, block, record, locale, tx);
      if (built) blocks.push(built);
    }
    return { title: `${heading}${display}`, blocks };
  }

  private async block(
    model: ModelDef,
    block: ReportBlock,
    record: RecordData,
    locale: Locale,
    tx?: Transaction,
  ): Promise<DocumentBlock | undefined> {
    const labelled = (fields: string[]) =>
      fields
        .filter((f) => has(record, f) && record[f] != null && record[f] !== '')
        .map((f) => ({ label: model.fields[f].label, value: formatValue(model.fields[f], record[f], locale) }));
    switch (block.type) {
      case 'company': {
        const statement = sql`SELECT name, address FROM core_tenants WHERE id = ${this.ctx.actor.tenantId}::uuid`;
        const [company] = tx
          ? await tx.rows<{ name: string; address: string }>(statement)
          : (await this.ctx.scope.db.batch(this.ctx.actor.tenantId, [statement]))[0].rows;
        return {
          type: 'address',
          lines: [
            company.name,
            ...String(company.address)
              .split('\n')
              .filter((l) => l.trim()),
          ],
        };
      }
      case 'address': {
        const ref = has(record, block.field) ? (record[block.field] as { id: string; display: string | null } | null) : null;
        if (!ref) return undefined;
        const target = this.ctx.model(model.fields[block.field].target!);
        // The related record as the user may read it: without the right to read it, only its name is printed.
        const related = (await this.reader.find(target, ref.id, tx, false)) ?? {};
        const lines = block.lines
          .map((line) =>
            [line]
              .flat()
              .filter((f) => has(related, f) && related[f] != null && related[f] !== '')
              .map((f) => formatValue(target.fields[f], related[f], locale))
              .join(' '),
          )
          .filter(Boolean);
        return { type: 'address', title: block.title, lines: [ref.display ?? '', ...lines] };
      }
      case 'fields': {
        const items = labelled(block.fields);
        return items.length > 0 ? { type: 'fields', items } : undefined;
      }
      case 'totals': {
        const items = labelled(block.fields);
        return items.length > 0 ? { type: 'totals', items } : undefined;
      }
      case 'table': {
        if (!has(record, block.field)) return undefined;
        const target = this.ctx.model(model.fields[block.field].target!);
        const lines = (record[block.field] ?? []) as RecordData[];
        // Lines come masked: a column the user may not read is absent from them, so it is not printed.
        const columns = block.columns.map((c) => target.fields[c]).filter((f) => lines.every((line) => has(line, f.name)));
        return {
          type: 'table',
          columns: columns.map((f) => ({ label: f.label, right: alignsRight(f) })),
          rows: lines.map((line) => columns.map((f) => formatValue(f, line[f.name], locale))),
        };
      }
      case 'text': {
        const text = has(record, block.field) ? String(record[block.field] ?? '').trim() : '';
        return text ? { type: 'text', title: block.title, text } : undefined;
      }
    }
  }
}
