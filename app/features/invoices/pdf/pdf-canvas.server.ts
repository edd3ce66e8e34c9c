// Drawing primitives for PDFs made with pdfkit's standard fonts: text they can encode (WinAnsi),
// one-line cells that never wrap or break pages on their own, word wrapping that the caller pages,
// and QR codes drawn as vectors. The invoice copy (invoice-pdf-render.server.ts) and the payment
// receipt (payments/receipts/receipt-pdf-render.server.ts) are built from them.
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { t, type Locale } from "~/i18n";
import { layoutPayBox, type PayBoxFont, type PayBoxLayout } from "~/domain/pay-box-layout";
import { intlLocale } from "~/i18n/format";

// pdfkit's standard fonts are WinAnsi (Windows-1252): Latin-1 plus these. Everything else would
// come out as garbage, so it is replaced first (winAnsiText).
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a,
  0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

const SUBSTITUTES: Record<string, string> = {
  "\u2212": "-", // Intl's minus sign (sv-SE writes negative amounts with it)
  "\u2010": "-",
  "\u2011": "-",
  "\u202f": "\u00a0", // Intl's narrow no-break space
  "\u2007": "\u00a0",
  "\u2009": " ",
  "\u200a": " ",
  "\u2002": " ",
  "\u2003": " ",
  "\u2032": "'",
  "\u2033": '"',
  "\u0141": "L",
  "\u0142": "l",
  "\u0110": "D",
  "\u0111": "d",
  "\u0131": "i",
};

function isWinAnsi(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code);
}

/**
 * Text the standard fonts can show: tabs and line breaks become spaces, control characters go,
 * a letter WinAnsi lacks becomes its base letter (ő → o, ș → s) where there is one, else "?".
 */
export function winAnsiText(text: string): string {
  let out = "";
  for (const char of text.normalize("NFC")) {
    const code = char.codePointAt(0)!;
    if (isWinAnsi(code)) out += char;
    else if (char === "\t" || char === "\n" || char === "\r") out += " ";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x200b || code === 0xfeff) continue;
    else if (SUBSTITUTES[char] !== undefined) out += SUBSTITUTES[char];
    else {
      const base = char.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += base !== "" && [...base].every((part) => isWinAnsi(part.codePointAt(0)!)) ? base : "?";
    }
  }
  return out;
}

// A4 in points; the bottom margin is small because pages are broken here, never by pdfkit.
export const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = 48;
export const WIDTH = PAGE.width - 2 * MARGIN;
export const BOTTOM = PAGE.height - 64;
export const FOOTER_Y = PAGE.height - 40;
export const COLORS = { text: "#111111", muted: "#555555", rule: "#b8b8b8", stamp: "#b91c1c" };
const FONTS = { regular: "Helvetica", bold: "Helvetica-Bold", mono: "Courier" } as const satisfies Record<PayBoxFont, string>;

/**
 * A new A4 document with our margins, its pages buffered until done() (footers count them), and
 * `done()` ending it and giving its bytes. The metadata is fixed to facts of the document, never the
 * clock: the file id is a hash of it, so the same data gives the same bytes.
 */
export function openPdf(meta: { title: string; author: string; locale: Locale; createdAt: Date }): {
  doc: PDFKit.PDFDocument;
  done: () => Promise<Buffer>;
} {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: 8 },
    bufferPages: true,
    lang: intlLocale(meta.locale),
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.title,
      Creator: "Payer Portal",
      Producer: "Payer Portal",
      CreationDate: meta.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  return {
    doc,
    done: async () => {
      doc.end();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}

export type TextStyle = { size?: number; bold?: boolean; color?: string };
type Cell = TextStyle & { width?: number; align?: "left" | "right" };

export class Canvas {
  y = MARGIN;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  private style({ size = 9, bold = false, color = COLORS.text }: TextStyle) {
    this.doc.font(bold ? FONTS.bold : FONTS.regular).fontSize(size).fillColor(color);
  }

  width(text: string, style: TextStyle = {}): number {
    this.style(style);
    return this.doc.widthOfString(winAnsiText(text));
  }

  /**
   * One line at (x, y), never wrapped and never breaking the page (pdfkit would do both with a
   * width): right alignment is worked out here, and text wider than its cell is cut with "…".
   */
  cell(text: string, x: number, y: number, options: Cell = {}) {
    this.style(options);
    let safe = winAnsiText(text);
    if (options.width !== undefined && this.doc.widthOfString(safe) > options.width) {
      while (safe.length > 0 && this.doc.widthOfString(`${safe}\u2026`) > options.width) safe = safe.slice(0, -1);
      safe = `${safe}\u2026`;
    }
    const left = options.align === "right" && options.width !== undefined ? x + options.width - this.doc.widthOfString(safe) : x;
    this.doc.text(safe, left, y, { lineBreak: false });
  }

  /** Word-wrapped lines; a word wider than the column (a URL, a part number) is cut where it stops fitting. */
  wrap(text: string, width: number, style: TextStyle = {}): string[] {
    this.style(style);
    const fits = (value: string) => this.doc.widthOfString(value) <= width;
    const lines: string[] = [];
    for (const paragraph of text.split(/\r\n|\r|\n/)) {
      let line = "";
      for (const word of winAnsiText(paragraph).split(" ").filter((part) => part !== "")) {
        const candidate = line === "" ? word : `${line} ${word}`;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line !== "") lines.push(line);
        let rest = word;
        while (!fits(rest)) {
          let low = 1;
          let high = rest.length - 1;
          while (low < high) {
            const mid = Math.ceil((low + high) / 2);
            if (fits(rest.slice(0, mid))) low = mid;
            else high = mid - 1;
          }
          lines.push(rest.slice(0, low));
          rest = rest.slice(low);
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  }

  rule(y: number, color = COLORS.rule, x = MARGIN, width = WIDTH) {
    this.doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.6).strokeColor(color).stroke();
  }
}

export const lineHeight = (size: number) => Math.round(size * 1.3 * 10) / 10;

/**
 * The supplier's name with its organisation and VAT numbers at the top left of a document (the
 * invoice copy and the receipt alike); returns the y below them.
 */
export function drawSupplierHeading(
  canvas: Canvas,
  supplier: { name: string; orgNumber: string | null; vatNumber: string | null },
  labels: { orgNumber: string; vatNumber: string },
): number {
  let y = MARGIN;
  for (const line of canvas.wrap(supplier.name, 300, { size: 15, bold: true })) {
    canvas.cell(line, MARGIN, y, { size: 15, bold: true });
    y += lineHeight(15);
  }
  y += 2;
  for (const fact of [supplier.orgNumber && `${labels.orgNumber} ${supplier.orgNumber}`, supplier.vatNumber && `${labels.vatNumber} ${supplier.vatNumber}`]) {
    if (!fact) continue;
    canvas.cell(fact, MARGIN, y, { size: 9, color: COLORS.muted, width: 300 });
    y += lineHeight(9);
  }
  return y;
}

/**
 * A QR code's dark modules as horizontal runs (row, first column, length), error correction M as
 * on the page's images. Drawn as vectors rather than an embedded PNG: sharp at any print
 * resolution, and rendering the copy takes about a sixth of the time.
 */
export function qrModuleRuns(text: string): { size: number; runs: [row: number, column: number, length: number][] } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const runs: [number, number, number][] = [];
  for (let row = 0; row < modules.size; row++) {
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < modules.size && modules.get(row, column)) column += 1;
      runs.push([row, start, column - start]);
    }
  }
  return { size: modules.size, runs };
}

export type QrRuns = ReturnType<typeof qrModuleRuns>;

/** The code in a square of `size` points at (x, y), with a quiet zone of 4 modules inside it. */
export function drawQr(doc: PDFKit.PDFDocument, qr: QrRuns, x: number, y: number, size: number) {
  const quiet = 4;
  const module = size / (qr.size + 2 * quiet);
  for (const [row, column, length] of qr.runs) {
    doc.rect(x + (quiet + column) * module, y + (quiet + row) * module, length * module, module);
  }
  // One path, one fill: no hairline seams between neighbouring modules.
  doc.fillColor("#000000").fill();
}

/** The pay-now box's words in one language, made safe for the standard fonts. */
export function payBoxText(locale: Locale, url: string) {
  return {
    heading: winAnsiText(t(locale, "pdf.payBox.heading")),
    body: winAnsiText(t(locale, "pdf.payBox.body")),
    scan: winAnsiText(t(locale, "pdf.payBox.scan")),
    url,
  };
}

/** The pay-now box laid out `width` points wide, measured with pdfkit's own font metrics. */
export function layoutPdfkitPayBox(doc: PDFKit.PDFDocument, width: number, locale: Locale, url: string): PayBoxLayout {
  return layoutPayBox(width, payBoxText(locale, url), (text, font, size) => doc.font(FONTS[font]).fontSize(size).widthOfString(text));
}

/** Draws a laid-out pay-now box with its top left corner at (x, y); the QR encodes `url`. */
export function drawPayBox(doc: PDFKit.PDFDocument, box: PayBoxLayout, x: number, y: number, url: string) {
  for (const step of box.steps) {
    if (step.kind === "frame") {
      doc.rect(x + step.x, y + step.y, step.width, step.height).lineWidth(1.2).strokeColor(COLORS.text).stroke();
    } else if (step.kind === "qr") {
      drawQr(doc, qrModuleRuns(url), x + step.x, y + step.y, step.size);
    } else {
      doc.font(FONTS[step.font]).fontSize(step.size).fillColor(COLORS.text).text(step.text, x + step.x, y + step.y, { lineBreak: false });
    }
  }
}
