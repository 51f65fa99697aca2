-- overlap: two private networks of one VPC whose subnets overlap ({{DATA_SUBNET}}); the API refuses the second.
local scw = require "scaleway"

local vpc = scw.Vpc "main" { region = "fr-par" }
local app = scw.VpcPrivateNetwork "app" { vpc = vpc, subnets = { "10.0.1.0/24" } }
local data = scw.VpcPrivateNetwork "data" { vpc = vpc, subnets = { "{{DATA_SUBNET}}" }, depends_on = { app } }

return { app = app.id }
