-- surface: more of the Lua surface: scw.defaults, ref:map, depends_on, timeouts,
-- create_before_destroy, and the scw.Type("name", {...}) call form. {{SUBNET}} is filled in.
local scw = require "scaleway"
scw.defaults { region = "nl-ams" }

local vpc = scw.Vpc "main" { tags = { "env:test" }, timeouts = { delete = "1m" } }

local app = scw.VpcPrivateNetwork("app", {
  vpc = vpc,
  subnets = { "{{SUBNET}}" },
  lifecycle = { create_before_destroy = true },
})

local log = scw.VpcPrivateNetwork "log" {
  vpc = vpc,
  subnets = { "10.9.0.0/24" },
  depends_on = { app },
}

return {
  upper_name = vpc.name:map(function(v) return string.upper(v) end),
  prefix_len = app.ipv4_subnet:map(function(c) return tonumber(c:match("/(%d+)$")) end),
  region = vpc.region,
  log_id = log.id,
}
