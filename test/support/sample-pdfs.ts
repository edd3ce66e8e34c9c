// PDFs as a supplier's ERP might make them, for the upload and stamping tests: made with pdf-lib
// (the plain ones) and mupdf (an encrypted one; pdf-lib cannot encrypt).
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import * as mupdf from "mupdf";

/** An A4 invoice of `pages` pages: a heading and text at the top, body text, and a footer line at the bottom. */
export async function erpInvoicePdf(options: { pages?: number; fillBottomRight?: boolean; fillAllCorners?: boolean } = {}): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.setTitle("ERP invoice");
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= (options.pages ?? 2); number++) {
    const page = document.addPage([595.28, 841.89]);
    page.drawText("ERP Faktura 4711", { x: 50, y: 790, size: 18, font });
    page.drawText(`Sida ${number}`, { x: 50, y: 760, size: 10, font });
    for (let line = 0; line < 20; line++) page.drawText(`Rad ${line + 1}: konsulttimmar`, { x: 50, y: 700 - line * 14, size: 10, font });
    // A logo-like block top right, as most invoices have.
    page.drawRectangle({ x: 420, y: 740, width: 120, height: 60, color: rgb(0.2, 0.3, 0.6) });
    if (options.fillBottomRight || options.fillAllCorners) page.drawText("Bankgiro 991-2346 Org.nr 556016-0680", { x: 330, y: 60, size: 9, font });
    if (options.fillAllCorners) {
      page.drawText("Leverantör AB, Storgatan 1, 111 22 Stockholm", { x: 40, y: 40, size: 9, font });
      page.drawText("Vänster hörn upptaget", { x: 40, y: 120, size: 9, font });
      page.drawRectangle({ x: 40, y: 740, width: 100, height: 60, color: rgb(0.5, 0.5, 0.5) });
    }
  }
  return document.save();
}

/** The same kind of invoice encrypted with a user and owner password (AES-256). */
export async function encryptedPdf(): Promise<Uint8Array> {
  const plain = mupdf.Document.openDocument(await erpInvoicePdf({ pages: 1 }), "application/pdf");
  const pdf = plain.asPDF()!;
  // A copy: asUint8Array() is a view into mupdf's WebAssembly memory, reused once the buffer is freed.
  return pdf.saveToBuffer("encrypt=aes-256,user-password=secret,owner-password=owner").asUint8Array().slice();
}
