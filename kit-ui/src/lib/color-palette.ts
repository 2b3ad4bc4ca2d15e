/**
 * The colours of the `color` widget: an integer field (a tag's colour) is an index into this palette, as
 * Odoo's are (0 is no colour). Chosen by swatch and named, never typed as a number.
 */
export const PALETTE: { name: string; css: string }[] = [
  { name: 'No colour', css: 'transparent' },
  { name: 'Red', css: '#e5534b' },
  { name: 'Orange', css: '#f0883e' },
  { name: 'Yellow', css: '#e3b341' },
  { name: 'Cyan', css: '#39c5cf' },
  { name: 'Purple', css: '#8e6bd8' },
  { name: 'Almond', css: '#d4a373' },
  { name: 'Teal', css: '#2a9d8f' },
  { name: 'Blue', css: '#3b82f6' },
  { name: 'Raspberry', css: '#d1366b' },
  { name: 'Green', css: '#3fa55b' },
  { name: 'Violet', css: '#a855f7' },
];

export const paletteColor = (value: unknown): { name: string; css: string } | undefined =>
  typeof value === 'number' ? PALETTE[value] : undefined;
