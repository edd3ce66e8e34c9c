CREATE TABLE "supplier_invoice_pdfs" (
	"invoice_id" text PRIMARY KEY NOT NULL,
	"supplier_id" text NOT NULL,
	"content" "bytea" NOT NULL,
	"byte_size" integer NOT NULL,
	"page_count" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "pay_box_position" jsonb;--> statement-breakpoint
ALTER TABLE "supplier_invoice_pdfs" ADD CONSTRAINT "supplier_invoice_pdfs_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoice_pdfs" ADD CONSTRAINT "supplier_invoice_pdfs_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;