import type { en } from "./en";

export const sv: Record<keyof typeof en, string> = {
  "app.name": "Betalportalen",
  "home.title": "Betalportalen",
  "home.lead": "Öppna länken på din faktura för att se den, bekräfta den och betala.",
  "error.notFound.title": "Länken fungerar inte",
  "error.notFound.body":
    "Länken kan vara felskriven, ersatt av en nyare eller ha gått ut. Använd den senaste länken du fått, eller kontakta företaget som skickade fakturan.",
  "error.generic.title": "Något gick fel",
  "error.generic.body": "Försök igen om en stund.",
  "error.badRequest.title": "Vi kunde inte hantera begäran",
  "language.switch": "English",
  "language.label": "Språk",
};
