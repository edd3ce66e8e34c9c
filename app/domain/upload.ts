// Files a payer attaches to a problem report. The type is decided by the first bytes, never by
// the name or the browser's Content-Type (both are the sender's word): an .exe renamed .pdf is
// still an .exe.

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export const UPLOAD_TYPES = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/heic": "heic",
  "image/heif": "heif",
} as const;

export type UploadContentType = keyof typeof UPLOAD_TYPES;

/** The accept attribute for the file input: a hint for the picker, not a check. */
export const UPLOAD_ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,.heic,.heif,application/pdf,image/png,image/jpeg,image/webp,image/heic,image/heif";

const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis"]);
const HEIF_BRANDS = new Set(["mif1", "msf1"]);

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The file's real type from its magic bytes, or null when it is none we accept. */
export function sniffUploadType(bytes: Uint8Array): UploadContentType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf"; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "image/webp";
  // ISO base media file: size (4 bytes), "ftyp", major brand.
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === "ftyp") {
    const brand = ascii(bytes, 8, 12);
    if (HEIC_BRANDS.has(brand)) return "image/heic";
    if (HEIF_BRANDS.has(brand)) return "image/heif";
  }
  return null;
}

/**
 * A name safe to store and show: no path, no control or markup characters, at most 100
 * characters, ending in the extension of the type we detected.
 */
export function safeUploadName(name: string, type: UploadContentType): string {
  const extension = UPLOAD_TYPES[type];
  const base = (name.split(/[/\\]/).pop() ?? "")
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, "")
    .trim()
    .replace(/\.[^.]*$/, "")
    .slice(0, 90)
    .trim();
  return `${base || "attachment"}.${extension}`;
}

export type UploadCheck =
  | { ok: true; contentType: UploadContentType; filename: string; size: number }
  | { ok: false; reason: "empty" | "too_large" | "unsupported_type" };

export function checkUpload(file: { bytes: Uint8Array; name: string }): UploadCheck {
  if (file.bytes.length === 0) return { ok: false, reason: "empty" };
  if (file.bytes.length > MAX_UPLOAD_BYTES) return { ok: false, reason: "too_large" };
  const contentType = sniffUploadType(file.bytes);
  if (contentType === null) return { ok: false, reason: "unsupported_type" };
  return { ok: true, contentType, filename: safeUploadName(file.name, contentType), size: file.bytes.length };
}
