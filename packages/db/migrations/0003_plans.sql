CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`scenario_version` integer NOT NULL,
	`catalog_version` text NOT NULL,
	`estimator_catalog_version` text NOT NULL,
	`options` text NOT NULL,
	`summary` text NOT NULL,
	`plan` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`scenario_id`) REFERENCES `scenarios`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plans_ws_scenario_created_idx` ON `plans` (`workspace_id`,`scenario_id`,`created_at`,`id`);