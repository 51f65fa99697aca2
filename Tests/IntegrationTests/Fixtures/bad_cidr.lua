local scw = require "scaleway"
local vpc = scw.Vpc "main" { region = "fr-par" }
local app = scw.VpcPrivateNetwork "app" { vpc = vpc, subnets = { "10.0.300.0/24" } }
return { id = vpc.id }
