local scw = require "scaleway"
local vpc = scw.Vpc "main" { region = "fr-par" }
local app = scw.VpcPrivateNetwork "app" { vpc = vpc, subnets = { "10.0.1.0/24" }, tags = "x" }
return { id = vpc.id }
