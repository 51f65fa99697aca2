-- load-balanced-web: web servers on a private network behind a load balancer: a flexible IP,
-- a backend health-checking the servers' private addresses, an HTTP frontend and an HTTPS one
-- (Let's Encrypt certificate, an ACL keeping /admin private). Deploy it with no account:
--   scwlua deploy --local examples/load-balanced-web.lua
-- Knobs (--var name=value): servers (2), lb_type (LB-S), block_bots (false: adds a second ACL).
local scw = require "scaleway"
local vars = scw.vars

local pn  = scw.VpcPrivateNetwork "app" { subnets = { "10.10.0.0/24" } }

local web = {}
for i = 1, scw.var("servers", "integer", 2) do
  web[i] = scw.Instance("web" .. i, { type = "PRO2-XXS", image = "ubuntu_jammy",
                                      private_networks = { pn } })
end

local ip = scw.LbIp "web" {}
local lb = scw.LoadBalancer "web" {
  type = vars.lb_type or "LB-S", ip_ids = { ip },
  private_networks = { { private_network = pn, ipam = true } },
}

local server_ips = {}
for i, server in ipairs(web) do server_ips[i] = server.private_ip end

local be = scw.LbBackend "web" {
  lb = lb, forward_protocol = "http", forward_port = 80,
  server_ips = server_ips,
  health_check = { port = 80, http = { uri = "/healthz" } },
}

local cert = scw.LbCertificate "www" { lb = lb, letsencrypt = { common_name = "www.example.com" } }

local acls = {
  { name = "no-admin", action = { type = "deny" },
    match = { ip_subnet = { "0.0.0.0/0" }, http_filter = "path_begin", http_filter_value = { "/admin" } } },
}
if scw.var("block_bots", "boolean", false) then
  acls[#acls + 1] = { name = "no-bots", action = { type = "deny" },
                      match = { http_filter = "http_header_match", http_filter_option = "User-Agent",
                                http_filter_value = { "BadBot" } } }
end

scw.LbFrontend "http"  { lb = lb, backend = be, inbound_port = 80 }
scw.LbFrontend "https" {
  lb = lb, backend = be, inbound_port = 443, certificates = { cert },
  acls = acls,
}

return {
  url = "https://" .. ip.ip_address,
  lb_id = lb.id,
  lb_type = lb.type,
  lb_private_ips = lb.private_ips,
  servers = be.server_ips,
  certificate_expires = cert.not_valid_after,
}
