CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "use_cases" (
	"slug" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"domain" text NOT NULL,
	"task" text NOT NULL,
	"description" text NOT NULL,
	"entry" json NOT NULL,
	"content_hash" text NOT NULL,
	"catalog_version" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scenarios" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"spec" json NOT NULL,
	"version" integer NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"workspace_id" text NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" text NOT NULL,
	"response_headers" json NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "idempotency_keys_workspace_id_operation_key_pk" PRIMARY KEY("workspace_id","operation","key")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"scope" text NOT NULL,
	"created_at" text NOT NULL,
	"revoked_at" text,
	CONSTRAINT "api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "estimates" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"scenario_id" text NOT NULL,
	"scenario_version" integer NOT NULL,
	"strategy" text NOT NULL,
	"catalog_version" text NOT NULL,
	"result" json NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"scenario_id" text NOT NULL,
	"scenario_version" integer NOT NULL,
	"catalog_version" text NOT NULL,
	"estimator_catalog_version" text NOT NULL,
	"options" json NOT NULL,
	"summary" json NOT NULL,
	"plan" json NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hardware_profiles" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"backend" text NOT NULL,
	"device" json NOT NULL,
	"backend_info" json NOT NULL,
	"ceilings" json,
	"bandwidth" json,
	"sgemm" json,
	"measured_by" text,
	"matmul_flops_per_s" double precision,
	"run_count" integer DEFAULT 0 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benchmark_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"status" text NOT NULL,
	"suite" text NOT NULL,
	"request" json NOT NULL,
	"progress_fraction" double precision DEFAULT 0 NOT NULL,
	"current_item" text,
	"hardware_profile_id" text,
	"error" text,
	"summary" json,
	"created_at" text NOT NULL,
	"started_at" text,
	"finished_at" text
);
--> statement-breakpoint
CREATE TABLE "benchmark_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"job_id" text,
	"hardware_profile_id" text NOT NULL,
	"family" text NOT NULL,
	"phase" text NOT NULL,
	"mode" text NOT NULL,
	"scope" text NOT NULL,
	"batch_size" integer NOT NULL,
	"workers" integer NOT NULL,
	"status" text NOT NULL,
	"model_key" text NOT NULL,
	"flops_per_step" double precision NOT NULL,
	"step_time_median_ms" double precision,
	"cpu_time_median_ms" double precision,
	"samples_per_s" double precision,
	"achieved_flops_per_s" double precision,
	"fraction_of_ceiling" double precision,
	"run" json NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_scenario_id_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_scenario_id_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hardware_profiles" ADD CONSTRAINT "hardware_profiles_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_jobs" ADD CONSTRAINT "benchmark_jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_jobs" ADD CONSTRAINT "benchmark_jobs_hardware_profile_id_hardware_profiles_id_fk" FOREIGN KEY ("hardware_profile_id") REFERENCES "public"."hardware_profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_runs" ADD CONSTRAINT "benchmark_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_runs" ADD CONSTRAINT "benchmark_runs_job_id_benchmark_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."benchmark_jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_runs" ADD CONSTRAINT "benchmark_runs_hardware_profile_id_hardware_profiles_id_fk" FOREIGN KEY ("hardware_profile_id") REFERENCES "public"."hardware_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "use_cases_domain_idx" ON "use_cases" USING btree ("domain","slug");--> statement-breakpoint
CREATE INDEX "scenarios_ws_updated_idx" ON "scenarios" USING btree ("workspace_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "scenarios_ws_name_idx" ON "scenarios" USING btree ("workspace_id","name","id");--> statement-breakpoint
CREATE INDEX "api_keys_ws_idx" ON "api_keys" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "estimates_ws_scenario_created_idx" ON "estimates" USING btree ("workspace_id","scenario_id","created_at","id");--> statement-breakpoint
CREATE INDEX "plans_ws_scenario_created_idx" ON "plans" USING btree ("workspace_id","scenario_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "hardware_profiles_ws_fingerprint_idx" ON "hardware_profiles" USING btree ("workspace_id","fingerprint");--> statement-breakpoint
CREATE INDEX "hardware_profiles_ws_updated_idx" ON "hardware_profiles" USING btree ("workspace_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "benchmark_jobs_ws_created_idx" ON "benchmark_jobs" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "benchmark_jobs_status_idx" ON "benchmark_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "benchmark_runs_ws_created_idx" ON "benchmark_runs" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "benchmark_runs_profile_idx" ON "benchmark_runs" USING btree ("hardware_profile_id","family","phase");--> statement-breakpoint
CREATE INDEX "benchmark_runs_job_idx" ON "benchmark_runs" USING btree ("job_id");