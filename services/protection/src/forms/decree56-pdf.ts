import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { FormContent } from './decree56-forms';

// DejaVu Serif from the dejavu-fonts-ttf package: a TrueType font with the whole Vietnamese
// repertoire (precomposed vowels with tone marks), embedded and subset by pdfkit, so the PDF reads
// the same on any machine and its text extracts with the right diacritics (docs/adr/0018).
const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);
const REGULAR = fontFile('DejaVuSerif.ttf');
const BOLD = fontFile('DejaVuSerif-Bold.ttf');
const ITALIC = fontFile('DejaVuSerif-Italic.ttf');

/** A4 with the margins of Decree 30/2020 (left 30 mm, others 20 mm), in points. */
const mm = (v: number) => (v * 72) / 25.4;
const margins = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) };

/** Lays one form out on A4: heading, title, numbered sections, place and date, signature blocks. */
export function renderFormPdf(content: FormContent, issuingBody: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    info: {
      Title: `Mẫu số ${content.number} — ${content.title}`,
      Creator: 'ECD referral network',
      Subject: 'Nghị định 56/2017/NĐ-CP',
    },
    // Reproducible: the same record prints the same bytes apart from the date in the text.
    compress: true,
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  doc.registerFont('italic', ITALIC);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - margins.left - margins.right;
  const left = margins.left;
  const half = width / 2;

  // The form number, top right, as the decree's annex prints it.
  doc.font('italic').fontSize(10).text(`Mẫu số ${content.number}`, left, margins.top, { width, align: 'right' });
  const top = doc.y + 4;
  // Issuing body (left) and national motto (right), side by side.
  doc.font('bold').fontSize(11);
  doc.text('ỦY BAN NHÂN DÂN', left, top, { width: half * 0.8, align: 'center' });
  doc.text(issuingBody.toUpperCase(), { width: half * 0.8, align: 'center' });
  const leftBottom = doc.y;
  doc
    .fontSize(10.5)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + half * 0.8, top, { width: width - half * 0.8, align: 'center' });
  doc.text('Độc lập - Tự do - Hạnh phúc', { width: width - half * 0.8, align: 'center' });
  const rightBottom = doc.y;
  doc
    .moveTo(left + half * 0.8 + (width - half * 0.8) / 2 - 60, rightBottom + 2)
    .lineTo(left + half * 0.8 + (width - half * 0.8) / 2 + 60, rightBottom + 2)
    .lineWidth(0.6)
    .stroke();
  doc
    .font('italic')
    .fontSize(11)
    .text(content.placeAndDate, left + half * 0.8, rightBottom + 8, {
      width: width - half * 0.8,
      align: 'center',
    });
  doc.y = Math.max(leftBottom, doc.y) + 18;

  doc.font('bold').fontSize(13).text(content.title, left, doc.y, { width, align: 'center' });
  if (content.subtitle) doc.font('bold').fontSize(11).text(content.subtitle, { width, align: 'center' });
  doc.moveDown(1);

  for (const section of content.sections) {
    doc.font('bold').fontSize(12).text(section.heading, left, doc.y, { width });
    doc.moveDown(0.3);
    for (const [label, value] of section.lines) {
      const shown = value.trim() === '' ? '…………………………………………' : value;
      if (label) {
        doc
          .font('regular')
          .fontSize(12)
          .text(`${label}: `, left + 12, doc.y, { width: width - 12, continued: true });
        doc.font('regular').text(shown);
      } else {
        doc
          .font('regular')
          .fontSize(12)
          .text(`- ${shown}`, left + 12, doc.y, { width: width - 12 });
      }
      doc.moveDown(0.2);
    }
    doc.moveDown(0.6);
  }

  // Signature blocks side by side (two per row), with room to sign.
  doc.moveDown(1);
  if (doc.y > doc.page.height - margins.bottom - 120) doc.addPage();
  const signatures = content.signatures;
  const column = width / 2;
  const startY = doc.y;
  signatures.forEach((sig, i) => {
    const x = signatures.length > 1 ? left + (i % 2) * column : left + width / 2;
    const y = startY + Math.floor(i / 2) * 110;
    doc.font('bold').fontSize(11).text(sig.role, x, y, { width: column, align: 'center' });
    doc.font('italic').fontSize(10).text(sig.note, x, doc.y, { width: column, align: 'center' });
    if (sig.name)
      doc
        .font('bold')
        .fontSize(11)
        .text(sig.name, x, y + 80, { width: column, align: 'center' });
  });
  doc.end();
  return done;
}
