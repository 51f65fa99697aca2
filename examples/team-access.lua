-- team-access: a CI application allowed to use Object Storage through its API key, the team's
-- SSH key, and a DNS zone whose records point at a flexible IP. Deploy it with no account:
--   scwlua deploy --local examples/team-access.lua
--   scwlua output --raw ci_secret_key      -- the secret key: printed only when asked by name
-- Knobs (--var name=value): domain, ttl, www_ip (instead of the flexible IP), ssh_key.
local scw = require "scaleway"
local vars = scw.vars

local ci = scw.IamApplication "ci" { description = "deploys from CI" }

scw.IamPolicy "ci" {
  application = ci,                                            -- a handle where an id is expected
  description = "CI may use Object Storage in this project",
  rules = {
    { project_ids = { scw.project_id }, permission_set_names = { "ObjectStorageFullAccess" } },
  },
}

local key = scw.IamApiKey "ci" {
  application = ci,
  description = "CI deploy key",
  expires_at = "2030-12-31T00:00:00Z",                         -- changing it makes a new key
}

scw.IamSshKey "team" {
  public_key = vars.ssh_key or "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPY1L8k4eAP/S3U8B28FU/tGL1iEsA8s6J2Y6bKk+bCM team@example.com",
}

local front = scw.InstanceIp "front" { tags = { "app:web" } }

local zone = scw.DomainZone "app" { domain = vars.domain or "example.com", subdomain = "app" }

local ttl = scw.var("ttl", "integer", 300)
local www = scw.DomainRecord "www" { dns_zone = zone, name = "www", type = "A", data = vars.www_ip or front.address, ttl = ttl }
scw.DomainRecord "api" { dns_zone = zone, name = "api", type = "CNAME", data = "www", ttl = ttl }   -- www.<zone>.
scw.DomainRecord "mx" { dns_zone = zone, name = "", type = "MX", data = "mx.example.net.", priority = 10 }
scw.DomainRecord "spf" { dns_zone = zone, name = "@", type = "TXT", data = "v=spf1 mx -all" }

return {
  ci_access_key = key.access_key,
  ci_secret_key = key.secret_key,                              -- sensitive: shown as (sensitive)
  nameservers = zone.ns,
  www = www.fqdn,
  front_ip = front.address,
}
