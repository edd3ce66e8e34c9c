// How the document shows a string with a rule: its format or pattern and an example that the API
// accepts. One table, so an organisation number or a date reads the same in every request and
// answer; the zod schemas that enforce the rules attach these with `.openapi(FORMATS.x)`.
import { z } from "zod";
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { SUPPORTED_CURRENCIES } from "~/domain/money";

// Here too, so a schemas file that only imports FORMATS can call `.openapi` at load time.
extendZodWithOpenApi(z);

export const FORMATS = {
  date: { format: "date", example: "2026-03-31" },
  dateTime: { format: "date-time", example: "2026-03-14T10:00:00+01:00" },
  /** A date (that day in the supplier's time zone) or a date-time with its offset. */
  dateOrDateTime: {
    pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$",
    example: "2026-12-31",
  },
  currency: { type: "string", enum: [...SUPPORTED_CURRENCIES] as string[], example: "SEK", description: "ISO 4217" },
  orgNumber: { pattern: "^\\d{6}-?\\d{4}$", example: "556036-0793", description: "Swedish organisation number (Luhn-checked)" },
  vatNumber: { pattern: "^[A-Za-z]{2}[A-Za-z0-9 .-]{2,20}$", example: "SE556036079301" },
  bankgiro: { pattern: "^\\d{3,4}-?\\d{4}$", example: "5050-1055", description: "Bankgiro number (check digit verified)" },
  plusgiro: { pattern: "^\\d{1,7}-?\\d$", example: "902003-3", description: "Plusgiro number (check digit verified)" },
  iban: { pattern: "^[A-Za-z]{2}\\d{2}[A-Za-z0-9 ]{10,40}$", example: "SE4550000000058398257466" },
  bic: { pattern: "^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$", example: "ESSESESS" },
  swishNumber: { pattern: "^[+\\d][\\d ()-]{8,18}$", example: "1231181189", description: "Swish number: 123 XXX XX XX, or a mobile number" },
  phone: { pattern: "^\\+?[\\d ().-]{6,40}$", example: "+46 8 123 456 78" },
  email: { format: "email", example: "ap@kund.example" },
  httpsUrl: { format: "uri", pattern: "^https://", example: "https://cdn.example.com/logo.png" },
  webhookUrl: { format: "uri", pattern: "^https?://", example: "https://erp.example.com/webhooks/payer-portal", description: "https in production" },
  ocr: { pattern: "^\\d{2,25}$", example: "1234567897", description: "OCR reference: digits with a Luhn check digit" },
  country: { pattern: "^[A-Za-z]{2}$", example: "SE", description: "ISO 3166-1 alpha-2" },
  postalCode: { pattern: "^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$", example: "111 22" },
  peppolId: { pattern: "^\\d{4}:[A-Za-z0-9.-]{1,50}$", example: "0007:5560360793" },
  hexColour: { pattern: "^#[0-9a-fA-F]{6}$", example: "#1a5fb4" },
  timeZone: { example: "Europe/Stockholm", description: "IANA time zone" },
} as const;
