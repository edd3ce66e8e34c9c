CREATE INDEX "customers_supplier_name_idx" ON "customers" USING btree ("supplier_id","name","id");--> statement-breakpoint
CREATE INDEX "customers_supplier_id_idx" ON "customers" USING btree ("supplier_id","id");--> statement-breakpoint
CREATE INDEX "customers_supplier_org_number_idx" ON "customers" USING btree ("supplier_id","org_number") WHERE "customers"."org_number" is not null;