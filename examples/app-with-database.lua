-- app-with-database: a managed PostgreSQL instance on a private network, a database and a user
-- for the app, and an Instance whose cloud-init receives the database's private endpoint and the
-- user's password (the whole user data is a secret: the plan shows it as (sensitive)).
-- Deploy it with no account:
--   scwlua deploy --local examples/app-with-database.lua --var db_password='Adm1n_pa55word!' --var app_password='App_pa55word!'
-- Knobs (--var name=value): db_password and app_password (required), node_type, volume_gb,
-- max_connections, with_reports (a second database and a read-only user, needs reports_password).
local scw = require "scaleway"
local template = require "template"
local vars = scw.vars

local pn = scw.VpcPrivateNetwork "data" { subnets = { "10.20.0.0/24" } }

local db = scw.RdbInstance "main" {
  engine = "PostgreSQL-16",
  node_type = vars.node_type or "DB-DEV-S",
  user_name = "admin",
  password = scw.secret(vars.db_password),
  volume_type = "sbs_5k",
  volume_size_in_gb = scw.var("volume_gb", "integer", 20),                  -- grows in place; shrinking replaces
  backup_schedule_frequency = 24,
  backup_schedule_retention = 7,
  settings = { max_connections = tostring(vars.max_connections or 200) },   -- settings are strings
  private_network = { pn_id = pn, enable_ipam = true },
  tags = { "app:shop" },
}

local app = scw.RdbDatabase "app" { instance = db }
local svc = scw.RdbUser "app" { instance = db, password = scw.secret(vars.app_password) }
scw.RdbPrivilege "app" { instance = db, user = svc, database = app, permission = "all" }

if scw.var("with_reports", "boolean", false) then
  local reports = scw.RdbDatabase "reports" { instance = db }
  local analyst = scw.RdbUser "analyst" { instance = db, password = scw.secret(vars.reports_password) }
  scw.RdbPrivilege "analyst" { instance = db, user = analyst, database = reports, permission = "readonly" }
end

scw.RdbAcl "office" { instance = db, rules = { { ip = "203.0.113.0/24", description = "office" } } }

local web = scw.Instance "web" {
  type = "DEV1-S",
  image = "ubuntu_jammy",
  private_networks = { pn },
  user_data = {
    ["cloud-init"] = template.render([[
#cloud-config
write_files:
  - path: /etc/app/database.env
    permissions: "0600"
    content: |
      DATABASE_URL=postgres://${user}:${password}@${host}:${port}/${database}?sslmode=require
]], { user = svc.name, password = scw.secret(vars.app_password), host = db.private_ip, port = db.private_port, database = app.name }),
  },
}

return {
  dsn = scw.format("postgres://%s@%s:%d/%s", svc.name, db.private_ip, db.private_port, app.name),
  cert = db.certificate,
  web_private_ip = web.private_ip,
}
