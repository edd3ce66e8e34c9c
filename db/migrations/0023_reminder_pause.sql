ALTER TABLE "invoices" ADD COLUMN "reminders_paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "reminders_paused_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "reminders_paused_by" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "reminders_paused_by_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "reminders_pause_reason" text;