export const en = {
  "app.name": "Payer Portal",
  "home.title": "Payer Portal",
  "home.lead": "Open the link on your invoice to see it, confirm it and pay.",
  "error.notFound.title": "This link does not work",
  "error.notFound.body":
    "The link may be mistyped, replaced by a newer one, or expired. Use the latest link you received, or contact the company that sent the invoice.",
  "error.generic.title": "Something went wrong",
  "error.generic.body": "Please try again in a moment.",
  "error.badRequest.title": "We could not handle that request",
  "language.switch": "Svenska",
  "language.label": "Language",
} as const;
