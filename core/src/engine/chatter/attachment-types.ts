import { AtriumError } from '../../kernel/errors.ts';

/** An attachment may be this large (a scanned contract, a few photos). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const startsWith = (content: Buffer, bytes: number[], at = 0): boolean => bytes.every((b, i) => content[at + i] === b);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
/** Text: valid UTF-8 without NUL (nothing a browser would take for a program). */
const isText = (content: Buffer): boolean => !content.includes(0) && Buffer.from(content.toString('utf8'), 'utf8').equals(content);

/**
 * The types an attachment may have, each with how its content is recognised: a file is kept only when its
 * bytes are what its declared type says (a page renamed `.pdf` is refused), so what is served back under a
 * type is of that type.
 */
const TYPES: Record<string, (content: Buffer) => boolean> = {
  'application/pdf': (c) => startsWith(c, ascii('%PDF-')),
  'image/png': (c) => startsWith(c, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (c) => startsWith(c, [0xff, 0xd8, 0xff]),
  'image/gif': (c) => startsWith(c, ascii('GIF8')),
  'image/webp': (c) => startsWith(c, ascii('RIFF')) && startsWith(c, ascii('WEBP'), 8),
  'text/plain': isText,
  'text/csv': isText,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (c) => startsWith(c, ZIP),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (c) => startsWith(c, ZIP),
};

/** The declared type of an upload, checked against the allowed ones and against the content (415 / 400 otherwise). */
export function checkedAttachmentType(contentType: string | undefined, content: Buffer): string {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const recognise = Object.hasOwn(TYPES, type) ? TYPES[type] : undefined;
  if (!recognise)
    throw new AtriumError(
      'ATR_ERR_UNSUPPORTED_MEDIA_TYPE',
      `An attachment may be PDF, PNG, JPEG, GIF, WebP, plain text, CSV, XLSX or DOCX${type ? `, not ${type}` : ''}`,
    );
  if (content.length === 0) throw AtriumError.invalidField('file', 'required', 'is empty');
  if (!recognise(content)) throw AtriumError.invalidField('file', 'type', `is not a ${type} file`);
  return type;
}
