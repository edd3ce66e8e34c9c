CREATE TABLE "unapplied_payment_allocations" (
	"unapplied_id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"overpayment" boolean DEFAULT false NOT NULL,
	"actor" text NOT NULL,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unapplied_payment_allocations_unapplied_id_payment_id_pk" PRIMARY KEY("unapplied_id","payment_id")
);
--> statement-breakpoint
CREATE TABLE "unapplied_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"supplier_id" text NOT NULL,
	"import_id" text,
	"format" text NOT NULL,
	"transaction_id" text NOT NULL,
	"position" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"paid_on" date NOT NULL,
	"payer_name" text,
	"payer_account" text,
	"payer_org_number" text,
	"references" text[] DEFAULT '{}'::text[] NOT NULL,
	"free_text" text,
	"reason" text NOT NULL,
	"reason_detail" text NOT NULL,
	"invoice_id" text,
	"remaining" bigint NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"note" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unapplied_payment_proposals" (
	"unapplied_id" text NOT NULL,
	"report_id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unapplied_payment_proposals_unapplied_id_report_id_pk" PRIMARY KEY("unapplied_id","report_id")
);
--> statement-breakpoint
ALTER TABLE "unapplied_payment_allocations" ADD CONSTRAINT "unapplied_payment_allocations_unapplied_id_unapplied_payments_id_fk" FOREIGN KEY ("unapplied_id") REFERENCES "public"."unapplied_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payment_allocations" ADD CONSTRAINT "unapplied_payment_allocations_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payment_allocations" ADD CONSTRAINT "unapplied_payment_allocations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payment_allocations" ADD CONSTRAINT "unapplied_payment_allocations_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payments" ADD CONSTRAINT "unapplied_payments_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payments" ADD CONSTRAINT "unapplied_payments_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payments" ADD CONSTRAINT "unapplied_payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payment_proposals" ADD CONSTRAINT "unapplied_payment_proposals_unapplied_id_unapplied_payments_id_fk" FOREIGN KEY ("unapplied_id") REFERENCES "public"."unapplied_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payment_proposals" ADD CONSTRAINT "unapplied_payment_proposals_report_id_payment_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."payment_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payment_proposals" ADD CONSTRAINT "unapplied_payment_proposals_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unapplied_payment_proposals" ADD CONSTRAINT "unapplied_payment_proposals_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "unapplied_payments_transaction_key" ON "unapplied_payments" USING btree ("supplier_id","transaction_id","amount");--> statement-breakpoint
CREATE INDEX "unapplied_payments_supplier_state_idx" ON "unapplied_payments" USING btree ("supplier_id","state","created_at","id");--> statement-breakpoint
CREATE INDEX "unapplied_payment_proposals_report_idx" ON "unapplied_payment_proposals" USING btree ("report_id");