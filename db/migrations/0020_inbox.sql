CREATE TABLE "inbox_items" (
	"id" text PRIMARY KEY NOT NULL,
	"supplier_id" text NOT NULL,
	"kind" text NOT NULL,
	"source_id" text NOT NULL,
	"invoice_id" text,
	"customer_id" text,
	"state" text DEFAULT 'new' NOT NULL,
	"assignee_id" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"supplier_id" text NOT NULL,
	"item_id" text NOT NULL,
	"author_id" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_notes" ADD CONSTRAINT "inbox_notes_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_notes" ADD CONSTRAINT "inbox_notes_item_id_inbox_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inbox_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_notes" ADD CONSTRAINT "inbox_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_items_source_key" ON "inbox_items" USING btree ("supplier_id","kind","source_id");--> statement-breakpoint
CREATE INDEX "inbox_items_supplier_idx" ON "inbox_items" USING btree ("supplier_id","opened_at","id");--> statement-breakpoint
CREATE INDEX "inbox_items_open_idx" ON "inbox_items" USING btree ("supplier_id","opened_at","id") WHERE "inbox_items"."state" <> 'done';--> statement-breakpoint
CREATE INDEX "inbox_items_state_idx" ON "inbox_items" USING btree ("supplier_id","state","opened_at","id");--> statement-breakpoint
CREATE INDEX "inbox_items_kind_idx" ON "inbox_items" USING btree ("supplier_id","kind","opened_at","id");--> statement-breakpoint
CREATE INDEX "inbox_items_assignee_idx" ON "inbox_items" USING btree ("supplier_id","assignee_id","opened_at","id");--> statement-breakpoint
CREATE INDEX "inbox_notes_item_idx" ON "inbox_notes" USING btree ("item_id","created_at");--> statement-breakpoint
-- What was already waiting when the inbox arrived gets its item, opened when its source row was
-- written: open disputes and delivery problems (answered ones as done), "I have paid" reports
-- (done when the invoice is paid or cancelled), and every suppressed address. Ids as
-- app/domain/public-id.ts makes them: 22 base62 characters below 2^128 (a first digit of 0–6).
CREATE FUNCTION pg_temp.inbox_id() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT 'ibx_' || substr('0123456', 1 + floor(random() * 7)::int, 1) || string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + floor(random() * 62)::int, 1), '')
  FROM generate_series(1, 21)
$$;--> statement-breakpoint
INSERT INTO "inbox_items" ("id", "supplier_id", "kind", "source_id", "invoice_id", "customer_id", "state", "opened_at", "updated_at")
SELECT pg_temp.inbox_id(), d.supplier_id, CASE WHEN d.kind = 'delivery' THEN 'delivery_problem' ELSE 'dispute' END, d.id, d.invoice_id, i.customer_id,
       CASE WHEN d.status = 'open' THEN 'new' ELSE 'done' END, d.created_at, coalesce(d.resolved_at, d.created_at)
FROM "disputes" d JOIN "invoices" i ON i.id = d.invoice_id
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "inbox_items" ("id", "supplier_id", "kind", "source_id", "invoice_id", "customer_id", "state", "opened_at", "updated_at")
SELECT pg_temp.inbox_id(), r.supplier_id, 'payment_report', r.id, r.invoice_id, i.customer_id,
       CASE WHEN i.paid_at IS NOT NULL OR i.cancelled_at IS NOT NULL THEN 'done' ELSE 'new' END, r.created_at, r.created_at
FROM "payment_reports" r JOIN "invoices" i ON i.id = r.invoice_id
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "inbox_items" ("id", "supplier_id", "kind", "source_id", "state", "opened_at", "updated_at")
SELECT pg_temp.inbox_id(), s.supplier_id, 'failing_address', s.address, 'new', s.created_at, s.created_at
FROM "email_suppressions" s
ON CONFLICT DO NOTHING;
