ALTER TABLE `benchmark_jobs` ADD `replica_id` text;--> statement-breakpoint
ALTER TABLE `benchmark_jobs` ADD `heartbeat_at` text;--> statement-breakpoint
ALTER TABLE `benchmark_jobs` ADD `cancel_requested_at` text;