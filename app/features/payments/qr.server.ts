// QR images for payment payloads, with the `qrcode` package. Error correction M throughout: the
// EPC standard requires it, and it survives a crumpled or badly printed invoice. Rendering holds
// the event loop (a 2,048 px PNG took seconds), so sizes are capped and images cached (security R3).
import QRCode from "qrcode";
import { z } from "zod";
import { fieldErrors } from "~/api/problem.server";
import { LruCache } from "~/domain/lru-cache";

export const QR_FORMATS = ["svg", "png"] as const;
export type QrFormat = (typeof QR_FORMATS)[number];

/** `size` is the image's width in pixels; `margin` the quiet zone in modules (the standard asks for 4). */
export type QrImageOptions = { size?: number; margin?: number };

/** 1,024 px prints a QR code sharp at 8 cm and 300 dpi; larger ones only cost the server (R3). */
export const QR_SIZE = { min: 64, max: 1024, defaultPng: 512 } as const;
export const QR_MARGIN = { min: 0, max: 10, default: 4 } as const;

const integer = (min: number, max: number) => {
  const range = `must be between ${min} and ${max}`;
  return z.coerce.number({ invalid_type_error: "must be a number" }).int("must be a whole number").min(min, range).max(max, range);
};

/** What the image routes accept in their query string (`?size=&margin=`); nothing else. */
export const qrImageOptionsSchema = z
  .object({ size: integer(QR_SIZE.min, QR_SIZE.max).optional(), margin: integer(QR_MARGIN.min, QR_MARGIN.max).optional() })
  .strict();

export function parseQrImageOptions(
  query: URLSearchParams,
): { ok: true; value: QrImageOptions } | { ok: false; errors: { field: string; message: string }[] } {
  const parsed = qrImageOptionsSchema.safeParse(Object.fromEntries(query));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error, "unknown parameter") };
}

function renderOptions(options: QrImageOptions, defaultSize: number | undefined) {
  // Options reach here from code as well as from the routes: the same limits apply to both.
  const checked = qrImageOptionsSchema.parse(options);
  const size = checked.size ?? defaultSize;
  return {
    errorCorrectionLevel: "M" as const,
    margin: checked.margin ?? QR_MARGIN.default,
    ...(size === undefined ? {} : { width: size }),
    color: { dark: "#000000ff", light: "#ffffffff" },
  };
}

/** An SVG document; without a size it scales to its container (viewBox only). */
export async function qrSvg(text: string, options: QrImageOptions = {}): Promise<string> {
  return QRCode.toString(text, { ...renderOptions(options, undefined), type: "svg" });
}

export async function qrPng(text: string, options: QrImageOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...renderOptions(options, QR_SIZE.defaultPng), type: "png" });
}

/**
 * Rendered images by content, size, margin and format: a page's codes, fetched again and again,
 * render once. The promise is kept, so requests that arrive while one renders wait for it. A PNG
 * at the largest size is ~10 KB, so the cache holds a few MB at most.
 */
const rendered = new LruCache<string, Promise<Buffer>>(256);

function qrImage(text: string, format: QrFormat, options: QrImageOptions = {}): Promise<Buffer> {
  const key = JSON.stringify([format, options.size ?? null, options.margin ?? null, text]);
  const cached = rendered.get(key);
  if (cached) return cached;
  const image = format === "svg" ? qrSvg(text, options).then((svg) => Buffer.from(svg, "utf8")) : qrPng(text, options);
  rendered.set(key, image);
  image.catch(() => rendered.delete(key));
  return image;
}

export const QR_CONTENT_TYPES: Record<QrFormat, string> = { svg: "image/svg+xml", png: "image/png" };

/** The image as an HTTP response. Private: the code holds invoice data behind a link or a key. */
export async function qrResponse(text: string, format: QrFormat, options: QrImageOptions = {}): Promise<Response> {
  const body = await qrImage(text, format, options);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "Content-Type": QR_CONTENT_TYPES[format],
      "Cache-Control": "private, max-age=300",
      "Content-Length": String(body.length),
    },
  });
}
