// A reminder row as the API shows it (GET …/reminders lists them, POST …/reminders answers the one sent).
import type { ReminderRow } from "~/features/reminders/db/reminders.server";

export type ReminderJson = {
  id: string;
  step: ReminderRow["step"];
  status: ReminderRow["status"];
  skip_reason: string | null;
  fee: number | null;
  interest: number | null;
  email_id: string | null;
  queued_at: string;
  sent_at: string | null;
};

export function reminderJson(row: ReminderRow): ReminderJson {
  return {
    id: row.id,
    step: row.step,
    status: row.status,
    skip_reason: row.skipReason,
    fee: row.fee,
    interest: row.interest,
    email_id: row.emailId,
    queued_at: row.createdAt.toISOString(),
    sent_at: row.sentAt?.toISOString() ?? null,
  };
}
