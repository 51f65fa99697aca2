local scw = require "scaleway"
local vpc = scw.Vpc "main" { region = "fr-par" }
local other = scw.Vcp "other" { region = "fr-par" }
return { id = vpc.id }
