// The CSP (style-src 'self') forbids inline styles, so a supplier's brand colour cannot be
// injected as is. Instead it picks the nearest of a few stylesheet tones, each checked for
// WCAG AA contrast against white (see brand tests and app.css `.brand--*`).

export const BRAND_TONES = {
  blue: "#1f4fd1",
  navy: "#1e3a8a",
  teal: "#0f766e",
  cyan: "#0e7490",
  green: "#166534",
  red: "#b91c1c",
  purple: "#6b21a8",
  orange: "#9a3412",
  pink: "#9d174d",
  slate: "#374151",
} as const;

export type BrandTone = keyof typeof BRAND_TONES;

const DEFAULT_TONE: BrandTone = "blue";
const HEX_COLOR = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

type Hsl = { hue: number; saturation: number; lightness: number };

function toHsl(hex: string): Hsl | null {
  const match = HEX_COLOR.exec(hex);
  if (match === null) return null;
  const [r, g, b] = [match[1], match[2], match[3]].map((part) => parseInt(part ?? "0", 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  const delta = max - min;
  if (delta === 0) return { hue: 0, saturation: 0, lightness };
  const saturation = delta / (1 - Math.abs(2 * lightness - 1));
  let hue: number;
  if (max === r) hue = ((g - b) / delta) % 6;
  else if (max === g) hue = (b - r) / delta + 2;
  else hue = (r - g) / delta + 4;
  return { hue: (hue * 60 + 360) % 360, saturation, lightness };
}

function hueDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

const CHROMATIC = (Object.keys(BRAND_TONES) as BrandTone[])
  .filter((tone) => tone !== "slate")
  .map((tone) => ({ tone, hsl: toHsl(BRAND_TONES[tone])! }));

/** The stylesheet tone closest to a "#rrggbb" colour: greys map to slate, the rest by hue and lightness. */
export function brandTone(color: string | null | undefined): BrandTone {
  const hsl = color ? toHsl(color) : null;
  if (hsl === null) return DEFAULT_TONE;
  if (hsl.saturation < 0.15) return "slate";
  let best: { tone: BrandTone; score: number } = { tone: DEFAULT_TONE, score: Infinity };
  for (const candidate of CHROMATIC) {
    const score = hueDistance(hsl.hue, candidate.hsl.hue) + 20 * Math.abs(hsl.lightness - candidate.hsl.lightness);
    if (score < best.score) best = { tone: candidate.tone, score };
  }
  return best.tone;
}
