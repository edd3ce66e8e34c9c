// A PDF page read as a phone camera sees it: rendered to pixels with mupdf (its own renderer, not
// the pdfjs the product uses to find a free corner) and every QR code on it decoded with jsQR,
// one after the other: each code found is painted over so the next one shows.
import jsQR from "jsqr";
import * as mupdf from "mupdf";

const SCALE = 2; // 144 dpi: a module of the smallest printed QR is four pixels wide

/** The page as RGBA pixels, on white paper (no alpha: a transparent page would read as black). */
export function renderPage(pdf: Uint8Array, pageIndex = 0): { data: Uint8ClampedArray; width: number; height: number } {
  const document = mupdf.Document.openDocument(pdf, "application/pdf");
  const pixmap = document.loadPage(pageIndex).toPixmap(mupdf.Matrix.scale(SCALE, SCALE), mupdf.ColorSpace.DeviceRGB, false, true);
  const width = pixmap.getWidth();
  const height = pixmap.getHeight();
  const rgb = pixmap.getPixels();
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let pixel = 0; pixel < width * height; pixel++) data.set(rgb.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
  return { data, width, height };
}

/** Every QR code's text on the page, in the order jsQR finds them. */
export function pageQrCodes(pdf: Uint8Array, pageIndex = 0): string[] {
  const { data, width, height } = renderPage(pdf, pageIndex);
  const found: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = jsQR(data, width, height, { inversionAttempts: "dontInvert" });
    if (!code) break;
    found.push(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(code.binaryData)));
    const corners = [code.location.topLeftCorner, code.location.topRightCorner, code.location.bottomLeftCorner, code.location.bottomRightCorner];
    const pad = 12;
    const x0 = Math.max(0, Math.floor(Math.min(...corners.map((point) => point.x))) - pad);
    const x1 = Math.min(width, Math.ceil(Math.max(...corners.map((point) => point.x))) + pad);
    const y0 = Math.max(0, Math.floor(Math.min(...corners.map((point) => point.y))) - pad);
    const y1 = Math.min(height, Math.ceil(Math.max(...corners.map((point) => point.y))) + pad);
    for (let y = y0; y < y1; y++) data.fill(255, (y * width + x0) * 4, (y * width + x1) * 4);
  }
  return found;
}
