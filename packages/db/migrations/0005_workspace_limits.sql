PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`scenario_version` integer NOT NULL,
	`catalog_version` text NOT NULL,
	`estimator_catalog_version` text NOT NULL,
	`options` text NOT NULL,
	`summary` text NOT NULL,
	`plan` text,
	`document_gzip` blob,
	`stored_bytes` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`scenario_id`) REFERENCES `scenarios`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_plans`("id", "workspace_id", "scenario_id", "scenario_version", "catalog_version", "estimator_catalog_version", "options", "summary", "plan", "stored_bytes", "created_at") SELECT "id", "workspace_id", "scenario_id", "scenario_version", "catalog_version", "estimator_catalog_version", "options", "summary", "plan", length(CAST("plan" AS BLOB)), "created_at" FROM `plans`;--> statement-breakpoint
DROP TABLE `plans`;--> statement-breakpoint
ALTER TABLE `__new_plans` RENAME TO `plans`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `plans_ws_scenario_created_idx` ON `plans` (`workspace_id`,`scenario_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);