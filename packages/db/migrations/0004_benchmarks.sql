CREATE TABLE `hardware_profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`backend` text NOT NULL,
	`device` text NOT NULL,
	`backend_info` text NOT NULL,
	`ceilings` text,
	`bandwidth` text,
	`sgemm` text,
	`measured_by` text,
	`matmul_flops_per_s` real,
	`run_count` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hardware_profiles_ws_fingerprint_idx` ON `hardware_profiles` (`workspace_id`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `hardware_profiles_ws_updated_idx` ON `hardware_profiles` (`workspace_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `benchmark_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`status` text NOT NULL,
	`suite` text NOT NULL,
	`request` text NOT NULL,
	`progress_fraction` real DEFAULT 0 NOT NULL,
	`current_item` text,
	`hardware_profile_id` text,
	`error` text,
	`summary` text,
	`created_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`hardware_profile_id`) REFERENCES `hardware_profiles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `benchmark_jobs_ws_created_idx` ON `benchmark_jobs` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `benchmark_jobs_status_idx` ON `benchmark_jobs` (`status`);--> statement-breakpoint
CREATE TABLE `benchmark_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`job_id` text,
	`hardware_profile_id` text NOT NULL,
	`family` text NOT NULL,
	`phase` text NOT NULL,
	`mode` text NOT NULL,
	`scope` text NOT NULL,
	`batch_size` integer NOT NULL,
	`workers` integer NOT NULL,
	`status` text NOT NULL,
	`model_key` text NOT NULL,
	`flops_per_step` real NOT NULL,
	`step_time_median_ms` real,
	`cpu_time_median_ms` real,
	`samples_per_s` real,
	`achieved_flops_per_s` real,
	`fraction_of_ceiling` real,
	`run` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `benchmark_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`hardware_profile_id`) REFERENCES `hardware_profiles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `benchmark_runs_ws_created_idx` ON `benchmark_runs` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `benchmark_runs_profile_idx` ON `benchmark_runs` (`hardware_profile_id`,`family`,`phase`);--> statement-breakpoint
CREATE INDEX `benchmark_runs_job_idx` ON `benchmark_runs` (`job_id`);