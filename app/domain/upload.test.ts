import { describe, expect, it } from "vitest";
import { checkUpload, MAX_UPLOAD_BYTES, safeUploadName, sniffUploadType } from "./upload";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "latin1")] : part)));

const SAMPLES = {
  pdf: bytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"),
  png: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], "IHDR"),
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "JFIF"),
  webp: bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "),
  heic: bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0], "mif1heic"),
  heif: bytes([0, 0, 0, 0x18], "ftypmif1", [0, 0, 0, 0], "mif1heic"),
  exe: bytes("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0], "This program cannot be run in DOS mode"),
  zip: bytes("PK", [3, 4, 20, 0]),
  html: bytes("<!doctype html><script>alert(1)</script>"),
  avif: bytes([0, 0, 0, 0x1c], "ftypavif", [0, 0, 0, 0]),
  riffWav: bytes("RIFF", [0x24, 0, 0, 0], "WAVEfmt "),
  shortPdf: bytes("%PD"),
};

describe("sniffUploadType", () => {
  it.each([
    ["pdf", "application/pdf"],
    ["png", "image/png"],
    ["jpeg", "image/jpeg"],
    ["webp", "image/webp"],
    ["heic", "image/heic"],
    ["heif", "image/heif"],
    ["exe", null],
    ["zip", null],
    ["html", null],
    ["avif", null],
    ["riffWav", null],
    ["shortPdf", null],
  ] as const)("%s → %s", (sample, expected) => {
    expect(sniffUploadType(SAMPLES[sample])).toBe(expected);
  });
});

describe("checkUpload", () => {
  it("trusts the bytes, not the name: an .exe renamed .pdf is refused", () => {
    expect(checkUpload({ bytes: SAMPLES.exe, name: "invoice.pdf" })).toEqual({ ok: false, reason: "unsupported_type" });
  });

  it("accepts a PNG named .pdf and stores it under the right extension", () => {
    expect(checkUpload({ bytes: SAMPLES.png, name: "scan.pdf" })).toEqual({
      ok: true, contentType: "image/png", filename: "scan.png", size: SAMPLES.png.length,
    });
  });

  it("refuses an empty file and one byte over the limit, accepts exactly the limit", () => {
    expect(checkUpload({ bytes: new Uint8Array(0), name: "a.pdf" })).toEqual({ ok: false, reason: "empty" });
    const atLimit = new Uint8Array(MAX_UPLOAD_BYTES);
    atLimit.set(SAMPLES.pdf);
    expect(checkUpload({ bytes: atLimit, name: "a.pdf" })).toMatchObject({ ok: true, size: MAX_UPLOAD_BYTES });
    const over = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    over.set(SAMPLES.pdf);
    expect(checkUpload({ bytes: over, name: "a.pdf" })).toEqual({ ok: false, reason: "too_large" });
  });
});

describe("safeUploadName", () => {
  it.each([
    ["photo.JPG", "image/jpeg", "photo.jpg"],
    ["../../etc/passwd", "application/pdf", "passwd.pdf"],
    ["C:\\Users\\me\\damage photo.heic", "image/heic", "damage photo.heic"],
    ["<script>x</script>.png", "image/png", "script.png"], // the slash counts as a path separator
    ["", "image/webp", "attachment.webp"],
    ["\u202eexe.pdf", "application/pdf", "exe.pdf"],
    [`${"a".repeat(200)}.pdf`, "application/pdf", `${"a".repeat(90)}.pdf`],
  ] as const)("%j → %j", (name, type, expected) => {
    expect(safeUploadName(name, type)).toBe(expected);
  });
});
