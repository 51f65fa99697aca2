local scw = require "scaleway"
local vpc = scw.Vpc "main" { region = "fr-par" }
local app = scw.VpcPrivateNetwork "app" { vpc = vpc, subnet = { "10.0.1.0/24" } }
return { id = vpc.id }
