// Files attached to problem reports, stored in the database (small: at most 5 MB each).
import { createHash } from "node:crypto";
import { attachments } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import { newPublicId } from "~/domain/public-id";

export type NewAttachment = {
  supplierId: string;
  invoiceId: string;
  filename: string;
  contentType: string;
  data: Buffer;
};

export type AttachmentSummary = { id: string; filename: string; contentType: string; size: number; sha256: string };

export async function insertAttachment(db: DbOrTx, attachment: NewAttachment): Promise<AttachmentSummary> {
  const summary = {
    id: newPublicId("att"),
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.data.length,
    sha256: createHash("sha256").update(attachment.data).digest("hex"),
  };
  await db.insert(attachments).values({ ...summary, supplierId: attachment.supplierId, invoiceId: attachment.invoiceId, data: attachment.data });
  return summary;
}
