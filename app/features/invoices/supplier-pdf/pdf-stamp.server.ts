// The supplier's own PDF read and stamped with pdf-lib (issue #21): a check that an upload is a
// PDF that opens (not encrypted, at least one page), and the pay-now box drawn onto its first page,
// at the supplier's position or in a free corner. pdf-lib rewrites the file from its parsed objects;
// no byte of it is edited by hand here.
import { PDFDocument, rgb, StandardFonts, type PDFFont } from "pdf-lib";
import type { Locale } from "~/i18n";
import { layoutPayBox, type PayBoxFont, type PayBoxLayout } from "~/domain/pay-box-layout";
import { DEFAULT_PAY_BOX, POINTS_PER_MM, type Corner, type PayBoxPosition } from "~/domain/pay-box-position";
import { payBoxText, qrModuleRuns } from "../pdf/pdf-canvas.server";
import { cornerRect, findFreeCorner, type Rect } from "./free-corner.server";

export type PdfCheck = { ok: true; pageCount: number } | { ok: false; reason: "not_pdf" | "encrypted" | "no_pages" };

/** Whether the bytes are a PDF that opens: parsed by pdf-lib, not encrypted, with a page. */
export async function checkPdf(bytes: Uint8Array): Promise<PdfCheck> {
  if (Buffer.from(bytes.subarray(0, 1024)).indexOf("%PDF-") < 0) return { ok: false, reason: "not_pdf" };
  try {
    // Parsed even when encrypted, so that case gets its own answer (pdf-lib's error classes do not survive instanceof).
    const document = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
    if (document.isEncrypted) return { ok: false, reason: "encrypted" };
    // A file without a page tree throws here: it does not open either.
    const pageCount = document.getPageCount();
    return pageCount > 0 ? { ok: true, pageCount } : { ok: false, reason: "no_pages" };
  } catch {
    return { ok: false, reason: "not_pdf" };
  }
}

/** How the box was placed: the supplier's setting, a corner found free, or bottom right for want of one. */
export type Placement = "settings" | "free_corner" | "no_free_corner";

export type StampedPdf = { content: Buffer; placement: Placement; corner: Corner };

/** The PDF with the pay-now box for `url` on its first page; every other page and object kept. */
export async function stampPayBox(
  pdf: Uint8Array,
  options: { url: string; locale: Locale; position: PayBoxPosition | null },
): Promise<StampedPdf> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = document.getPage(0);
  const fonts: Record<PayBoxFont, PDFFont> = {
    regular: await document.embedFont(StandardFonts.Helvetica),
    bold: await document.embedFont(StandardFonts.HelveticaBold),
    mono: await document.embedFont(StandardFonts.Courier),
  };
  const { position } = options;
  const width = (position?.width_mm ?? DEFAULT_PAY_BOX.width_mm) * POINTS_PER_MM;
  const box = layoutPayBox(width, payBoxText(options.locale, options.url), (text, font, size) => fonts[font].widthOfTextAtSize(text, size));
  const crop = page.getCropBox();
  const view = { x0: crop.x, y0: crop.y, x1: crop.x + crop.width, y1: crop.y + crop.height };
  const size = { width: box.width, height: box.height };

  let corner: Corner;
  let inset: { x: number; y: number };
  let placement: Placement;
  if (position) {
    corner = position.corner;
    inset = { x: position.x_mm * POINTS_PER_MM, y: position.y_mm * POINTS_PER_MM };
    placement = "settings";
  } else {
    inset = { x: DEFAULT_PAY_BOX.inset_mm * POINTS_PER_MM, y: DEFAULT_PAY_BOX.inset_mm * POINTS_PER_MM };
    const free = await findFreeCorner(pdf, size, inset);
    corner = free ?? "bottom-right";
    placement = free ? "free_corner" : "no_free_corner";
  }
  drawBox(page, fonts, box, cornerRect(view, corner, size, inset), options.url);
  return { content: Buffer.from(await document.save()), placement, corner };
}

type Page = ReturnType<PDFDocument["getPage"]>;

function drawBox(page: Page, fonts: Record<PayBoxFont, PDFFont>, box: PayBoxLayout, at: Rect, url: string) {
  const black = rgb(0, 0, 0);
  const top = at.y1;
  for (const step of box.steps) {
    if (step.kind === "frame") {
      // White underneath: the box stays readable wherever it is put.
      page.drawRectangle({
        x: at.x0 + step.x, y: top - step.y - step.height, width: step.width, height: step.height,
        color: rgb(1, 1, 1), borderColor: black, borderWidth: 1.2,
      });
    } else if (step.kind === "text") {
      const font = fonts[step.font];
      const baseline = top - step.y - font.heightAtSize(step.size, { descender: false });
      page.drawText(step.text, { x: at.x0 + step.x, y: baseline, size: step.size, font, color: black });
    } else {
      page.drawSvgPath(qrPath(url, step.size), { x: at.x0 + step.x, y: top - step.y, color: black, borderWidth: 0 });
    }
  }
}

/** The QR's dark modules as one SVG path in a square of `size` (y downwards), 4 modules of quiet zone inside. */
function qrPath(url: string, size: number): string {
  const qr = qrModuleRuns(url);
  const module = size / (qr.size + 8);
  return qr.runs
    .map(([row, column, length]) => `M${(4 + column) * module} ${(4 + row) * module}h${length * module}v${module}h${-length * module}Z`)
    .join("");
}
