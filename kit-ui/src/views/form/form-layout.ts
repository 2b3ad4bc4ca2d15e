import type { FormLayoutItem, FormViewMeta, ModelMeta } from '@atrium/protocol';

export interface FormSection {
  title?: string;
  rows: string[][];
}

/** The layout as titled (or untitled) sections of rows; plain rows in a row form one untitled section. */
export function formSections(layout: FormLayoutItem[]): FormSection[] {
  const sections: FormSection[] = [];
  for (const item of layout) {
    if (!Array.isArray(item)) sections.push({ title: item.title, rows: [...item.rows] });
    else if (sections.length > 0 && sections.at(-1)!.title === undefined) sections.at(-1)!.rows.push(item);
    else sections.push({ rows: [item] });
  }
  return sections;
}

/** Every field the form shows, in layout order. */
export const formFields = (view: FormViewMeta): string[] => formSections(view.layout).flatMap((s) => s.rows.flat());

/** The columns of a one2many: as the form declares them, else the line model's simple fields. */
export function lineColumns(view: FormViewMeta, field: string, target: ModelMeta, inverse?: string): string[] {
  const declared = view.lines?.[field];
  const names =
    declared ??
    Object.keys(target.fields).filter(
      (f) => !['lines', 'links', 'json'].includes(target.fields[f].kind) && target.fields[f].widget !== 'textarea',
    );
  return names.filter((f) => f !== inverse && target.fields[f]);
}
