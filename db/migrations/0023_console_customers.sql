-- Trigram matching for the console's customer search (a part of the name); trusted since PostgreSQL 13.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "customers_supplier_name_idx" ON "customers" USING btree ("supplier_id","name","id");--> statement-breakpoint
CREATE INDEX "customers_supplier_id_idx" ON "customers" USING btree ("supplier_id","id");--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_supplier_org_number_idx" ON "customers" USING btree ("supplier_id","org_number") WHERE "customers"."org_number" is not null;