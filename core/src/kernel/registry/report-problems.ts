import { checkFilter } from '../filter/filter-language.ts';
import { typeOf } from '../field-types/registry.ts';
import { isSystemField } from '../system-fields.ts';
import type { ModelDef, ModuleRegistry } from './registry-types.ts';

/**
 * What is wrong with a model's report templates, as [path, message] pairs: unknown fields, an address
 * block on a field that is not a many2one, a table on one that is not a one2many, a bad title condition.
 */
export function reportProblems(registry: ModuleRegistry, model: ModelDef): [string, string][] {
  const problems: [string, string][] = [];
  const fields = (at: string, on: ModelDef, names: string[]): void =>
    names.forEach((name, i) => {
      if (!isSystemField(name) && !Object.hasOwn(on.fields, name)) problems.push([`${at}/${i}`, `unknown field "${name}" of ${on.id}`]);
    });
  /** The model a relation field of `kind` points to, or a problem. */
  const target = (at: string, name: string, kind: 'reference' | 'lines'): ModelDef | undefined => {
    const field = Object.hasOwn(model.fields, name) ? model.fields[name] : undefined;
    const to = field && typeOf(field).kind === kind ? registry.model(field.target!) : undefined;
    if (!to) problems.push([at, `"${name}" is not a ${kind === 'reference' ? 'many2one' : 'one2many'} field of ${model.id}`]);
    return to;
  };
  for (const report of Object.values(model.reports)) {
    const at = `/models/${model.name}/reports/${report.name}/template`;
    (report.template.title ?? []).forEach((title, i) => {
      for (const p of checkFilter(model, title.when ?? {}, { source: 'when' }).problems)
        problems.push([`${at}/title/${i}/when`, `${p.field}: ${p.message}`]);
    });
    report.template.blocks.forEach((block, i) => {
      const path = `${at}/blocks/${i}`;
      if (block.type === 'address') {
        const to = target(`${path}/field`, block.field, 'reference');
        if (to) fields(`${path}/lines`, to, block.lines.flat());
      } else if (block.type === 'table') {
        const to = target(`${path}/field`, block.field, 'lines');
        if (to) fields(`${path}/columns`, to, block.columns);
      } else if (block.type === 'fields' || block.type === 'totals') {
        fields(`${path}/fields`, model, block.fields);
      } else if (block.type === 'text') {
        fields(path, model, [block.field]);
      }
    });
  }
  return problems;
}
