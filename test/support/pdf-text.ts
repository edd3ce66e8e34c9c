// Reads a PDF back as a payer's reader (or phone camera) would, with pdfjs (its legacy build runs
// in Node 20) and jsQR.
import jsQR from "jsqr";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

export type PdfText = { pages: string[]; text: string; title: unknown };

/**
 * Each page's text: one item per drawn piece of text, joined with " | ", no-break spaces as plain
 * ones (Intl writes them in amounts), so tests can look for "Label | value".
 */
export async function pdfText(pdf: Uint8Array): Promise<PdfText> {
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const content = await (await document.getPage(number)).getTextContent();
      // pdfjs adds empty items at line ends.
      const items = content.items.map((item) => ("str" in item ? item.str : "")).filter((item) => item.trim() !== "");
      pages.push(items.join(" | ").replace(/\u00a0/g, " "));
    }
    const { info } = await document.getMetadata();
    return { pages, text: pages.join("\n"), title: (info as { Title?: unknown }).Title };
  } finally {
    await document.destroy();
  }
}

/**
 * The QR code drawn on a page as vector modules (many small squares of one size), rasterised and
 * read back with jsQR as a phone camera would; null when the page has none.
 */
export async function pdfQrCode(pdf: Uint8Array, pageNumber = 1): Promise<string | null> {
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false }).promise;
  try {
    const page = await document.getPage(pageNumber);
    const { fnArray, argsArray } = await page.getOperatorList();
    const rectangles: [number, number, number, number][] = [];
    const arity: Partial<Record<number, number>> = { [OPS.moveTo]: 2, [OPS.lineTo]: 2, [OPS.curveTo]: 6, [OPS.curveTo2]: 4, [OPS.curveTo3]: 4, [OPS.rectangle]: 4 };
    fnArray.forEach((fn, index) => {
      if (fn !== OPS.constructPath) return;
      const [ops, coordinates] = argsArray[index] as [number[], number[]];
      let at = 0;
      for (const op of ops) {
        if (op === OPS.rectangle) rectangles.push(coordinates.slice(at, at + 4) as [number, number, number, number]);
        at += arity[op] ?? 0;
      }
    });
    // Modules are the small squares; boxes and rules are far larger or flat.
    const modules = rectangles.filter(([, , width, height]) => height > 0.5 && height < 5 && width >= height * 0.99);
    if (modules.length < 50) return null;
    const size = Math.min(...modules.map(([, , , height]) => height));
    const left = Math.min(...modules.map(([x]) => x));
    const top = Math.min(...modules.map(([, y]) => y));
    const count = Math.round((Math.max(...modules.map(([x, , width]) => x + width)) - left) / size);
    const scale = 4;
    const quiet = 4;
    const pixels = (count + 2 * quiet) * scale;
    const image = new Uint8ClampedArray(pixels * pixels * 4).fill(255);
    for (const [x, y, width] of modules) {
      const row = Math.round((y - top) / size) + quiet;
      const first = Math.round((x - left) / size) + quiet;
      const length = Math.round(width / size);
      for (let column = first; column < first + length; column++) {
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const offset = ((row * scale + dy) * pixels + column * scale + dx) * 4;
            image[offset] = image[offset + 1] = image[offset + 2] = 0;
          }
        }
      }
    }
    const code = jsQR(image, pixels, pixels);
    return code ? new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(code.binaryData)) : null;
  } finally {
    await document.destroy();
  }
}
