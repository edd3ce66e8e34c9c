import { z } from "zod";

/** `?limit=` of every list endpoint: a whole number from 1 to 100, given as query text. */
export const limitParam = z
  .string()
  .regex(/^\d{1,3}$/, "limit must be a whole number from 1 to 100")
  .transform(Number)
  .refine((value) => value >= 1 && value <= 100, { message: "limit must be a whole number from 1 to 100" });
