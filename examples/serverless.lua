-- serverless: a function deployed from a folder (zipped by scwlua, the same files giving the
-- same bytes), a nightly cron calling it, a container registry, and a container.
-- Deploy it with no account:
--   scwlua deploy --local examples/serverless.lua --var token=s3cr3t --var dsn=postgres://app:pw@db/app
-- Knobs (--var name=value): token and dsn (required, secrets), image (the container's image,
-- default nginx), log_level, max_scale.
local scw = require "scaleway"
local vars = scw.vars

local ns = scw.FunctionNamespace "api" {
  environment_variables = { LOG_LEVEL = vars.log_level or "info" },
  secret_environment_variables = { API_TOKEN = scw.secret(vars.token) },
}

local fn = scw.Function "hello" {
  namespace = ns, runtime = "node22", handler = "handler.handle", privacy = "public",
  source = "./functions/hello",          -- a folder, zipped by scwlua; or zip_file = "x.zip"
  min_scale = 0, max_scale = tonumber(vars.max_scale) or 5, memory_limit = 256, timeout = "30s",
  http_option = "redirected",
}

scw.FunctionCron "nightly" { function_id = fn, schedule = "0 3 * * *", args = { job = "cleanup" } }

local reg = scw.RegistryNamespace "apps-registry" { is_public = false }

local cns = scw.ContainerNamespace "web" {}

local app = scw.Container "web" {
  namespace = cns,
  -- an image pushed to the registry above would be reg.endpoint .. "/web:1.4.2"
  registry_image = vars.image or "nginx:1.29.4-alpine", port = 8080,
  cpu_limit = 1000, memory_limit = 2048, min_scale = 1, max_scale = 10, privacy = "public",
  protocol = "http1", http_option = "redirected",
  health_check = { http = { path = "/healthz" }, failure_threshold = 3, interval = "10s" },
  secret_environment_variables = { DATABASE_URL = scw.secret(vars.dsn) },
}

return { fn_url = "https://" .. fn.domain_name, app_url = "https://" .. app.domain_name, registry = reg.endpoint }
