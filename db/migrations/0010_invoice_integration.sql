ALTER TABLE "invoices" ADD COLUMN "credits_invoice_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "pay_code_hash" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "pay_code_key_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "pay_link_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "overdue_announced_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_pay_code_hash_key" ON "invoices" USING btree ("pay_code_hash");--> statement-breakpoint
CREATE INDEX "invoices_credits_idx" ON "invoices" USING btree ("credits_invoice_id");