// Where on the supplier's first page the pay-now box can go without covering anything: the page's
// content is read as pdfjs reads it to draw it — the text's positions and the operator list's paths
// and images, each mapped through the transformation matrix in force — and the first corner whose
// box-sized area meets none of it wins. A drawing covering most of the page (a background, a
// frame) is not counted as content, or no corner would ever be free.
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Corner } from "~/domain/pay-box-position";

type Matrix = [number, number, number, number, number, number];
export type Rect = { x0: number; y0: number; x1: number; y1: number };

/** The order corners are tried in: the bottom ones first, where invoices keep the least. */
export const CORNER_ORDER: readonly Corner[] = ["bottom-right", "bottom-left", "top-right", "top-left"];
const BACKGROUND_SHARE = 0.5;

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
];

/** The rectangle (x0, y0)–(x1, y1) of user space under `m`, as an axis-aligned box on the page. */
function mapRect(m: Matrix, x0: number, y0: number, x1: number, y1: number): Rect {
  const points = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(([x, y]) => [m[0] * x! + m[2] * y! + m[4], m[1] * x! + m[3] * y! + m[5]]);
  const xs = points.map(([x]) => x!);
  const ys = points.map(([, y]) => y!);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Everything drawn on page 1, as boxes in page space, with the page's visible area. */
export async function firstPageContent(pdf: Uint8Array): Promise<{ view: Rect; boxes: Rect[] }> {
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false }).promise;
  try {
    const page = await document.getPage(1);
    const [vx0, vy0, vx1, vy1] = page.view as [number, number, number, number];
    const view = { x0: vx0, y0: vy0, x1: vx1, y1: vy1 };
    const boxes: Rect[] = [];
    for (const item of (await page.getTextContent()).items) {
      if (!("str" in item) || item.str.trim() === "") continue;
      const [, , , , x, y] = item.transform as Matrix;
      // The glyphs' box from the baseline, with room for descenders.
      boxes.push({ x0: x, y0: y - item.height * 0.25, x1: x + item.width, y1: y + item.height });
    }
    const { fnArray, argsArray } = await page.getOperatorList();
    const stack: Matrix[] = [];
    let ctm: Matrix = [1, 0, 0, 1, 0, 0];
    const area = (rect: Rect) => (rect.x1 - rect.x0) * (rect.y1 - rect.y0);
    const pageArea = area(view);
    const add = (rect: Rect) => {
      if (area(rect) < pageArea * BACKGROUND_SHARE) boxes.push(rect);
    };
    fnArray.forEach((fn, index) => {
      const args = argsArray[index] as unknown[];
      if (fn === OPS.save) stack.push(ctm);
      else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
      else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
      else if (fn === OPS.paintFormXObjectBegin) {
        stack.push(ctm);
        if (Array.isArray(args[0])) ctm = multiply(ctm, args[0] as Matrix);
      } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
      else if (fn === OPS.constructPath) {
        const [x0, y0, x1, y1] = args[2] as number[];
        if (Number.isFinite(x0) && Number.isFinite(x1)) add(mapRect(ctm, x0!, y0!, x1!, y1!));
      } else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject) {
        // An image fills the unit square of the matrix in force.
        add(mapRect(ctm, 0, 0, 1, 1));
      }
    });
    return { view, boxes };
  } finally {
    await document.destroy();
  }
}

const overlaps = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The box's area in `corner`, `inset` points in from both of its edges. */
export function cornerRect(view: Rect, corner: Corner, size: { width: number; height: number }, inset: { x: number; y: number }): Rect {
  const x0 = corner.endsWith("left") ? view.x0 + inset.x : view.x1 - inset.x - size.width;
  const y1 = corner.startsWith("top") ? view.y1 - inset.y : view.y0 + inset.y + size.height;
  return { x0, y0: y1 - size.height, x1: x0 + size.width, y1 };
}

/** The first corner where a box of `size` covers nothing on page 1, or null when none is free. */
export async function findFreeCorner(
  pdf: Uint8Array,
  size: { width: number; height: number },
  inset: { x: number; y: number },
): Promise<Corner | null> {
  const { view, boxes } = await firstPageContent(pdf);
  return CORNER_ORDER.find((corner) => {
    const candidate = cornerRect(view, corner, size, inset);
    return !boxes.some((box) => overlaps(candidate, box));
  }) ?? null;
}
