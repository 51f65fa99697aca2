-- compute_fleet: the fault tests' stack. Three servers sharing a security group: app-1 and
-- app-2 behind flexible IPs (deleted by terminate: running, no extra volume), app-3 with a
-- dynamic IP and an extra local volume (deleted by power off, detach, delete).
local scw = require "scaleway"

local fw = scw.SecurityGroup("fw", {
  inbound_default_policy = "drop",
  rules = {
    { port = 22, ip_range = "192.0.2.0/24" },
    { port_range = "8000-8080" },
    { protocol = "ICMP" },
  },
})

local outputs = {}
for i = 1, 2 do
  local ip = scw.InstanceIp("ip-" .. i, { tags = { "fleet" } })
  local server = scw.Instance("app-" .. i, {
    type = "DEV1-S",
    image = "ubuntu_jammy",
    tags = { "fleet", "n:" .. i },
    security_group = fw,
    ip = ip,
  })
  outputs["app_" .. i] = server.public_ip
end

local data = scw.InstanceVolume("data", { type = "l_ssd", size = 10 })
local worker = scw.Instance("app-3", {
  type = "DEV1-S",
  image = "debian_bookworm",
  tags = { "fleet", "n:3" },
  security_group = fw,
  dynamic_ip = true,
  additional_volumes = { data },
})
outputs.app_3 = worker.id
return outputs
