DROP INDEX "payments_provider_reference_key";--> statement-breakpoint
ALTER TABLE "provider_events" DROP CONSTRAINT "provider_events_provider_event_id_pk";--> statement-breakpoint
ALTER TABLE "provider_events" ADD CONSTRAINT "provider_events_account_id_event_id_pk" PRIMARY KEY("account_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_account_reference_key" ON "payments" USING btree ("account_id","provider_reference") WHERE "payments"."provider" <> 'manual' and "payments"."provider_reference" is not null;