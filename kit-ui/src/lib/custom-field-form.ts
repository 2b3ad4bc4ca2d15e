import type { SelectionOption } from '@atrium/protocol';

/** The types an admin picks from for a new field (docs/api.md, `/api/admin/custom-fields`: a value held by the record itself, so no one2many or many2many); `relation`: it needs a target model. */
export const CUSTOM_FIELD_TYPES: readonly { type: string; label: string; relation?: boolean }[] = [
  { type: 'string', label: 'Text (one line)' },
  { type: 'text', label: 'Text (several lines)' },
  { type: 'integer', label: 'Whole number' },
  { type: 'number', label: 'Number' },
  { type: 'money', label: 'Amount' },
  { type: 'boolean', label: 'Yes / no' },
  { type: 'date', label: 'Date' },
  { type: 'datetime', label: 'Date and time' },
  { type: 'selection', label: 'Choice in a list' },
  { type: 'many2one', label: 'Link to a record', relation: true },
  { type: 'email', label: 'Email' },
  { type: 'phone', label: 'Phone' },
  { type: 'url', label: 'Web address' },
];

const slug = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** A custom field's technical name from its label: "Region (EU)" → "x_region_eu" (names start with x_, at most 40 more characters). */
export const customFieldName = (label: string): string => `x_${slug(label).slice(0, 40) || 'field'}`;

/** Options typed one a line, "Label" or "value = Label" (a value stays what it was when the label is edited). */
export function optionsFromText(text: string): SelectionOption[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 0) return { value: slug(line) || line, label: line };
      return { value: line.slice(0, at).trim(), label: line.slice(at + 1).trim() };
    });
}

export const optionsToText = (options: readonly SelectionOption[]): string => options.map((o) => `${o.value} = ${o.label}`).join('\n');
