ALTER TABLE "benchmark_jobs" ADD COLUMN "replica_id" text;--> statement-breakpoint
ALTER TABLE "benchmark_jobs" ADD COLUMN "heartbeat_at" text;--> statement-breakpoint
ALTER TABLE "benchmark_jobs" ADD COLUMN "cancel_requested_at" text;