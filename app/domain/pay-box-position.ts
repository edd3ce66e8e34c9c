// Where the pay-now box goes on the supplier's own PDF (issue #21): millimetres from a corner of
// the first page to the box's nearest edges, and the box's width. Null in the settings: the stamp
// finds a free corner itself.

export const CORNERS = ["top-left", "top-right", "bottom-left", "bottom-right"] as const;
export type Corner = (typeof CORNERS)[number];

export type PayBoxPosition = { corner: Corner; x_mm: number; y_mm: number; width_mm: number };

export const POINTS_PER_MM = 72 / 25.4;
/** The box when placed automatically: wide enough for a pay link at a readable size. */
export const DEFAULT_PAY_BOX = { width_mm: 90, inset_mm: 8 } as const;
/** Narrower, the printed link would shrink below what can be read; wider would cover the invoice. */
export const PAY_BOX_WIDTH_MM = { min: 60, max: 180 } as const;
export const PAY_BOX_OFFSET_MAX_MM = 250;

export type PositionCheck = { ok: true; value: PayBoxPosition } | { ok: false; errors: { field: string; message: string }[] };

const number = (value: unknown) => typeof value === "number" && Number.isFinite(value);

/** Checks a position as the API and the CLI send it; each wrong field is named. */
export function validatePayBoxPosition(input: unknown): PositionCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "", message: "Expected an object { corner, x_mm, y_mm, width_mm }, or null to find a free corner" }] };
  }
  const value = input as Record<string, unknown>;
  const errors: { field: string; message: string }[] = [];
  for (const key of Object.keys(value)) {
    if (!["corner", "x_mm", "y_mm", "width_mm"].includes(key)) errors.push({ field: key, message: "Unknown field" });
  }
  if (!CORNERS.includes(value.corner as Corner)) errors.push({ field: "corner", message: `Expected one of ${CORNERS.join(", ")}` });
  for (const key of ["x_mm", "y_mm"] as const) {
    if (!number(value[key]) || (value[key] as number) < 0 || (value[key] as number) > PAY_BOX_OFFSET_MAX_MM) {
      errors.push({ field: key, message: `Expected millimetres from the corner, 0 to ${PAY_BOX_OFFSET_MAX_MM}` });
    }
  }
  const width = value.width_mm;
  if (!number(width) || (width as number) < PAY_BOX_WIDTH_MM.min || (width as number) > PAY_BOX_WIDTH_MM.max) {
    errors.push({ field: "width_mm", message: `Expected the box's width in millimetres, ${PAY_BOX_WIDTH_MM.min} to ${PAY_BOX_WIDTH_MM.max}` });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { corner: value.corner as Corner, x_mm: value.x_mm as number, y_mm: value.y_mm as number, width_mm: width as number } };
}
