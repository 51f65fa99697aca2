-- secret_name: a secret passed where the API echoes it back (the VPC's name).
local scw = require "scaleway"
local vpc = scw.Vpc "main" { region = "fr-par", name = scw.secret("hunter2-name-plaintext") }
return { vpc_name = vpc.name, id = vpc.id }
