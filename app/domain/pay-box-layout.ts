// The "Pay or answer this invoice" box (issue #21) as drawing steps, in points from the box's top
// left corner (y downwards), so pdfkit (our own PDFs) and pdf-lib (stamped on the supplier's PDF)
// draw the same box. The pay link's QR sits at the left, labelled as the page's QR, so nobody
// takes it for the bank apps' payment code; the link itself is printed in full on one line, in a
// fixed-width font, so it can be read and typed.

export type PayBoxFont = "regular" | "bold" | "mono";
/** The width of `text` in `font` at `size` points. */
export type Measure = (text: string, font: PayBoxFont, size: number) => number;

export type PayBoxText = { heading: string; body: string; scan: string; url: string };

export type PayBoxStep =
  | { kind: "frame"; x: number; y: number; width: number; height: number }
  | { kind: "text"; x: number; y: number; size: number; font: PayBoxFont; text: string }
  | { kind: "qr"; x: number; y: number; size: number };

export type PayBoxLayout = { width: number; height: number; steps: PayBoxStep[] };

const PADDING = 8;
const GAP = 8;
const LINE = 1.25;
const MAX_URL_SIZE = 10;

/** Words wrapped to `width`; a word wider than the column stays whole on its own line. */
export function wrapWords(text: string, width: number, font: PayBoxFont, size: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((part) => part !== "")) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (line !== "" && measure(candidate, font, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** The box at `width` points wide; its height follows from the text. */
export function layoutPayBox(width: number, text: PayBoxText, measure: Measure): PayBoxLayout {
  const inner = width - 2 * PADDING;
  const qrSize = Math.min(Math.max(width * 0.3, 56), 96);
  const column = { x: PADDING + qrSize + GAP, width: inner - qrSize - GAP };
  const steps: PayBoxStep[] = [{ kind: "qr", x: PADDING, y: PADDING, size: qrSize }];

  let y = PADDING;
  const paragraph = (value: string, font: PayBoxFont, size: number, after: number) => {
    for (const line of wrapWords(value, column.width, font, size, measure)) {
      steps.push({ kind: "text", x: column.x, y, size, font, text: line });
      y += size * LINE;
    }
    y += after;
  };
  const headingSize = width >= 240 ? 11 : 9;
  const bodySize = width >= 240 ? 8 : 7;
  paragraph(text.heading, "bold", headingSize, 3);
  paragraph(text.body, "regular", bodySize, 3);
  paragraph(text.scan, "regular", bodySize, 0);

  // The link on one line across the whole box, as large as fits.
  const urlSize = Math.min(MAX_URL_SIZE, inner / Math.max(measure(text.url, "mono", 1), 1));
  const urlY = Math.max(y, PADDING + qrSize) + 4;
  steps.push({ kind: "text", x: PADDING, y: urlY, size: urlSize, font: "mono", text: text.url });
  const height = urlY + urlSize * LINE + PADDING;
  steps.unshift({ kind: "frame", x: 0, y: 0, width, height });
  return { width, height, steps };
}
