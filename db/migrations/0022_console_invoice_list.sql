CREATE INDEX "invoices_console_due_idx" ON "invoices" USING btree ("supplier_id","due_date","id");--> statement-breakpoint
CREATE INDEX "invoices_console_issue_idx" ON "invoices" USING btree ("supplier_id","issue_date","id");--> statement-breakpoint
CREATE INDEX "invoices_console_total_idx" ON "invoices" USING btree ("supplier_id","total","id");--> statement-breakpoint
CREATE INDEX "invoices_console_number_prefix_idx" ON "invoices" USING btree ("supplier_id","number" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "invoices_console_outstanding_idx" ON "invoices" USING btree ("supplier_id","due_date","id") WHERE "invoices"."cancelled_at" is null and "invoices"."total" > 0 and "invoices"."amount_paid" < "invoices"."total";--> statement-breakpoint
CREATE INDEX "invoices_console_disputed_idx" ON "invoices" USING btree ("supplier_id","due_date","id") WHERE "invoices"."cancelled_at" is null and "invoices"."disputed";--> statement-breakpoint
CREATE INDEX "invoices_console_delivery_problem_idx" ON "invoices" USING btree ("supplier_id","due_date","id") WHERE "invoices"."cancelled_at" is null and "invoices"."delivery_status" = 'problem';--> statement-breakpoint
CREATE INDEX "invoices_console_cancelled_idx" ON "invoices" USING btree ("supplier_id","due_date","id") WHERE "invoices"."cancelled_at" is not null;