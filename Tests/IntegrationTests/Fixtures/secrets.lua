-- secrets: sensitive values in a stack output and in a resource input.
local scw = require "scaleway"

local vpc = scw.Vpc "main" { region = "fr-par", tags = { "env:test" } }

local app = scw.VpcPrivateNetwork "app" {
  vpc = vpc,
  subnets = { "10.0.1.0/24" },
  tags = { "tier:app", scw.secret("hunter2-tag-plaintext") },
}

return {
  token = scw.secret("hunter2-plaintext"),
  app_id = app.id,
}
