CREATE TABLE "email_provider_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"provider_email_id" text,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_suppressions" (
	"supplier_id" text NOT NULL,
	"address" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text,
	"email_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_suppressions_supplier_id_address_pk" PRIMARY KEY("supplier_id","address")
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_failing_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_failure" text;--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "derived_key_id" text;--> statement-breakpoint
ALTER TABLE "emails" ADD COLUMN "link_id" text;--> statement-breakpoint
ALTER TABLE "emails" ADD COLUMN "attach_invoice_pdf" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "fee" bigint;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "interest" bigint;--> statement-breakpoint
ALTER TABLE "email_suppressions" ADD CONSTRAINT "email_suppressions_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "emails_provider_idx" ON "emails" USING btree ("provider_id");