import type { Alignment, Content, default as PdfMake } from 'pdfmake';
import type { DocumentBlock, ReportDocument } from './report-document.ts';

// PDF's standard fonts: built into every reader and into pdfkit (no font file to ship or load).
const STANDARD_FONTS = { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' };

/** pdfmake weighs about 25 MB once loaded: it is loaded by the first report, not at start-up. */
let loaded: Promise<typeof PdfMake> | undefined;
function pdfmake(): Promise<typeof PdfMake> {
  loaded ??= import('pdfmake').then(({ default: pdf }) => {
    pdf.setFonts({ Helvetica: STANDARD_FONTS });
    // Templates hold no images or URLs: refuse every file and URL but the standard fonts' names.
    pdf.setUrlAccessPolicy(() => false);
    pdf.setLocalAccessPolicy((path) => Object.values(STANDARD_FONTS).includes(path));
    return pdf;
  });
  return loaded;
}

type DocumentDefinition = Parameters<typeof PdfMake.createPdf>[0];

const GREY = '#555555';
const align = (right: boolean): Alignment => (right ? 'right' : 'left');

/**
 * The standard fonts cover Windows-1252 only: Intl's narrow no-break space (the group separator of
 * fr-FR, "1 250,00 €") becomes the plain no-break space they have. (Scripts beyond Latin would need an
 * embedded Unicode font: docs/decisions.md.)
 */
const printable = (text: string): string => text.replace(/\u202f/g, '\u00a0');

function block(b: DocumentBlock): Content {
  switch (b.type) {
    case 'address':
      return {
        margin: [0, 0, 0, 12],
        stack: [
          ...(b.title ? [{ text: b.title, color: GREY, fontSize: 8 }] : []),
          ...b.lines.map((line, i) => ({ text: line, bold: i === 0 })),
        ],
      };
    case 'fields':
      return {
        margin: [0, 0, 0, 12],
        columns: b.items.map((item) => ({
          width: 'auto',
          margin: [0, 0, 24, 0],
          stack: [{ text: item.label, color: GREY, fontSize: 8 }, { text: item.value }],
        })),
      };
    case 'table':
      return {
        margin: [0, 0, 0, 8],
        layout: 'lightHorizontalLines',
        table: {
          headerRows: 1, // repeated at the top of every page the table runs onto
          widths: b.columns.map((_, i) => (i === 0 ? '*' : 'auto')),
          body: [
            b.columns.map((c) => ({ text: c.label, bold: true, alignment: align(c.right) })),
            ...b.rows.map((row) => row.map((cell, i) => ({ text: cell, alignment: align(b.columns[i].right) }))),
          ],
        },
      };
    case 'totals':
      return {
        margin: [0, 0, 0, 12],
        columns: [
          { width: '*', text: '' },
          {
            width: 'auto',
            layout: 'noBorders',
            table: {
              body: b.items.map((item, i) => {
                const bold = i === b.items.length - 1;
                return [
                  { text: item.label, bold },
                  { text: item.value, bold, alignment: 'right' },
                ];
              }),
            },
          },
        ],
      };
    case 'text':
      return {
        margin: [0, 0, 0, 12],
        stack: [
          ...(b.title ? [{ text: b.title, bold: true, margin: [0, 0, 0, 4] as [number, number, number, number] }] : []),
          { text: b.text },
        ],
      };
  }
}

/** The document as an A4 PDF; pages are numbered ("Page 2 of 3") when there is more than one. */
export async function renderPdf(report: ReportDocument): Promise<Buffer> {
  const doc: ReportDocument = JSON.parse(printable(JSON.stringify(report)));
  const definition: DocumentDefinition = {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 50],
    info: { title: doc.title, creator: 'Atrium' },
    defaultStyle: { font: 'Helvetica', fontSize: 10 },
    content: [{ text: doc.title, fontSize: 18, bold: true, margin: [0, 0, 0, 12] }, ...doc.blocks.map(block)],
    footer: (page: number, pages: number) =>
      pages > 1 ? { text: `Page ${page} of ${pages}`, alignment: 'right', fontSize: 8, color: GREY, margin: [40, 20] } : '',
  };
  return (await pdfmake()).createPdf(definition).getBuffer();
}
