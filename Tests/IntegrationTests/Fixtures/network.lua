-- network: a VPC and two private networks, outputs chained from one resource to the next.
-- The integration tests fill {{REGION}}, {{ENV}}, {{DATA_LIFECYCLE}} and may drop the
-- lines between "-- BEGIN data" and "-- END data".
local scw = require "scaleway"

local vpc = scw.Vpc "main" {
  region = "{{REGION}}",
  tags = { "env:{{ENV}}", "team:infra" },
}

local app = scw.VpcPrivateNetwork "app" {
  vpc = vpc,                                  -- a handle where an id is expected
  subnets = { "10.0.1.0/24" },
  tags = { "tier:app" },
}

-- BEGIN data
local data = scw.VpcPrivateNetwork "data" {
  vpc = vpc,
  subnets = { "10.0.2.0/24" },
  tags = { "tier:data", "peer:" .. app.name },  -- an input built from another resource
  {{DATA_LIFECYCLE}}
}
-- END data

return {
  vpc_id = vpc.id,                            -- known after apply
  vpc_region = vpc.region,
  app_subnet = app.ipv4_subnet,
  app_vpc = app.vpc_id,
  -- BEGIN data
  data_network = "pn:" .. data.id,            -- a derived reference
  summary = scw.format("app %s, data %s", app.ipv4_subnet, data.ipv4_subnet),
  -- END data
}
