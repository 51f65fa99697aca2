-- quickstart: a VPC with two private networks, and outputs chained from one to the next.
-- Deploy it with no account:  scwlua deploy --local examples/quickstart.lua
local scw = require "scaleway"

local vpc = scw.Vpc "main" {
  tags = { "env:dev", "app:quickstart" },
}

local app = scw.VpcPrivateNetwork "app" {
  vpc = vpc,                         -- a handle where an id is expected means its id
  subnets = { "10.0.1.0/24" },
  tags = { "tier:app" },
}

local data = scw.VpcPrivateNetwork "data" {
  vpc = vpc,
  subnets = { "10.0.2.0/24" },
  tags = { "tier:data" },
}

return {
  vpc_id = vpc.id,                   -- known after apply
  app_subnet = app.ipv4_subnet,
  summary = scw.format("app %s, data %s", app.ipv4_subnet, data.ipv4_subnet),
  data_network = "pn:" .. data.id,
}
