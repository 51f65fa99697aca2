-- fleet: ten resources (two VPCs, four private networks in each) for the fault and crash tests.
local scw = require "scaleway"

local outputs = {}
for r, region in ipairs { "fr-par", "nl-ams" } do
  local vpc = scw.Vpc("vpc-" .. region, { region = region, tags = { "fleet" } })
  outputs["vpc_" .. r] = vpc.id
  for i = 1, 4 do
    local pn = scw.VpcPrivateNetwork(string.format("pn-%s-%d", region, i), {
      vpc = vpc,
      subnets = { string.format("10.%d.%d.0/24", r, i) },
      tags = { "fleet", "n:" .. i },
    })
    outputs[string.format("pn_%d_%d", r, i)] = pn.ipv4_subnet
  end
end
return outputs
