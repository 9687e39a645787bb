ALTER TABLE "plans" ALTER COLUMN "plan" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "document_gzip" "bytea";--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "stored_bytes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");