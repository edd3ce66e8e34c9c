// QR images are decoded back by independent code (jsQR on PNG pixels read with pngjs, and on a
// small rasterisation of our SVG) and compared with the payloads, byte for byte.
import { describe, expect, it } from "vitest";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import QRCode from "qrcode";
import { parseEpcQr } from "~/domain/epc-qr";
import { parseSwishQr } from "~/domain/swish-qr";
import { buildPaymentInstructions, type PaymentSource } from "./payment-instructions.server";
import { parseQrImageOptions, qrPng, qrResponse, qrSvg } from "./qr.server";

const utf8 = (bytes: number[]) => new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));

function decodePng(png: Buffer) {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error("no QR code found in the PNG");
  return { text: utf8(code.binaryData), version: code.version, width: image.width };
}

/** Dark modules of our SVG (`M x y` / `m dx dy` moves, `h n` runs on the row at y − 0.5). */
function svgModules(svg: string): { size: number; dark: boolean[][] } {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? "";
  const dark = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (command === "M") [x, y] = [Number(a), Number(b)];
    else if (command === "m") [x, y] = [x + Number(a), y + Number(b)];
    else for (let end = x + Number(a); x < end; x++) dark[Math.floor(y)]![x] = true;
  }
  return { size, dark };
}

function decodeSvg(svg: string): string {
  const { size, dark } = svgModules(svg);
  const scale = 6;
  const pixels = new Uint8ClampedArray(size * scale * size * scale * 4);
  for (let py = 0; py < size * scale; py++) {
    for (let px = 0; px < size * scale; px++) {
      const value = dark[Math.floor(py / scale)]![Math.floor(px / scale)] ? 0 : 255;
      pixels.set([value, value, value, 255], (py * size * scale + px) * 4);
    }
  }
  const code = jsQR(pixels, size * scale, size * scale);
  if (!code) throw new Error("no QR code found in the SVG");
  return utf8(code.binaryData);
}

/**
 * The error correction level from the symbol's own format information (ISO 18004 §7.9): the 5
 * data bits sit in row 8 left of the top-left finder, after removing the fixed mask 101010000010010.
 */
function errorCorrectionLevel(svg: string, margin: number): "L" | "M" | "Q" | "H" {
  const { dark } = svgModules(svg);
  const bit = (row: number, column: number) => (dark[row + margin]![column + margin] ? 1 : 0);
  const high = bit(8, 0) ^ 1;
  const low = bit(8, 1) ^ 0;
  return (["M", "L", "H", "Q"] as const)[high * 2 + low]!;
}

const SEK_SOURCE: PaymentSource = {
  invoice: { number: "1042", currency: "SEK", issueDate: "2026-03-01", dueDate: "2026-03-31", total: 1_229_700, amountPaid: 0, ocr: "655969", cancelledAt: null },
  supplier: {
    name: "Åkerö Plåt & Söner AB", orgNumber: "556016-0680", bankgiro: "991-2346", plusgiro: null,
    iban: "SE4550000000058398257466", bic: "ESSESESS", swishNumber: "1231181189",
  },
};
const EUR_SOURCE: PaymentSource = {
  invoice: { ...SEK_SOURCE.invoice, currency: "EUR", total: 104_250 },
  supplier: { ...SEK_SOURCE.supplier, name: "Ölands Väg & Bro AB" },
};

describe("QR images decode to their payloads", () => {
  const sek = buildPaymentInstructions(SEK_SOURCE);
  const eur = buildPaymentInstructions(EUR_SOURCE);
  const cases = [
    ["Swish, SEK", sek.swish?.payload],
    ["invoice QR, SEK, åäö in the payee's name", sek.uqr?.payload],
    ["EPC, EUR, åäö in the beneficiary's name", eur.epc?.payload],
  ] as const;

  it.each(cases)("%s: PNG", async (_name, payload) => {
    expect(payload).toBeTruthy();
    const decoded = decodePng(await qrPng(payload!));
    expect(decoded.text).toBe(payload);
    expect(decoded.width).toBe(512);
  });

  it.each(cases)("%s: SVG", async (_name, payload) => {
    const svg = await qrSvg(payload!);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect(decodeSvg(svg)).toBe(payload);
    expect(errorCorrectionLevel(svg, 4)).toBe("M");
  });

  it("carries what the payer's app needs: amount, reference, payee", () => {
    expect(parseSwishQr(sek.swish!.payload)).toMatchObject({ payee: "1231181189", amount: 1_229_700, message: "655969" });
    expect(JSON.parse(sek.uqr!.payload)).toMatchObject({ nme: "Åkerö Plåt & Söner AB", iref: "655969", due: 12297, pt: "BG", acc: "991-2346" });
    expect(parseEpcQr(eur.epc!.payload)).toMatchObject({ name: "Ölands Väg & Bro AB", amount: 104_250, reference: "RF71655969", bic: "ESSESESS" });
  });
});

describe("image options", () => {
  it("reads the format information right for every level (so the M above is a real check)", async () => {
    for (const level of ["L", "M", "Q", "H"] as const) {
      const svg = await QRCode.toString("C1231181189;1500,00;655969;0", { type: "svg", errorCorrectionLevel: level, margin: 2 });
      expect(errorCorrectionLevel(svg, 2)).toBe(level);
    }
  });

  it("sizes the PNG and the quiet zone as asked", async () => {
    const payload = "C1231181189;1500,00;655969;0";
    const small = decodePng(await qrPng(payload, { size: 200, margin: 1 }));
    expect(small).toMatchObject({ text: payload, width: 200 });
    const svg = await qrSvg(payload, { size: 300, margin: 0 });
    expect(svg).toContain('width="300" height="300"');
    expect(decodeSvg(svg)).toBe(payload);
  });

  it.each([
    ["size=512&margin=2", { ok: true, value: { size: 512, margin: 2 } }],
    ["", { ok: true, value: {} }],
    ["size=63", { ok: false, errors: [{ field: "size", message: "must be between 64 and 1024" }] }],
    ["size=4096", { ok: false, errors: [{ field: "size", message: "must be between 64 and 1024" }] }],
    ["size=100.5", { ok: false, errors: [{ field: "size", message: "must be a whole number" }] }],
    ["size=big", { ok: false, errors: [{ field: "size", message: "must be a number" }] }],
    ["margin=11", { ok: false, errors: [{ field: "margin", message: "must be between 0 and 10" }] }],
    ["margin=-1", { ok: false, errors: [{ field: "margin", message: "must be between 0 and 10" }] }],
    ["color=red", { ok: false, errors: [{ field: "color", message: "unknown parameter" }] }],
  ])("?%s", (query, expected) => {
    expect(parseQrImageOptions(new URLSearchParams(query))).toEqual(expected);
  });

  it("refuses out-of-range options from code as well", async () => {
    await expect(qrPng("x", { size: 10_000 })).rejects.toThrow();
    await expect(qrSvg("x", { margin: 50 })).rejects.toThrow();
  });

  it("answers with the image type and a private five-minute cache", async () => {
    const svg = await qrResponse("x", "svg");
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(svg.headers.get("cache-control")).toBe("private, max-age=300");
    expect(await svg.text()).toMatch(/^<svg /);
    const png = await qrResponse("x", "png");
    expect(png.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect(Array.from(bytes.slice(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(png.headers.get("content-length")).toBe(String(bytes.length));
  });
});
