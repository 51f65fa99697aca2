-- web-server: one Instance behind a flexible IP and a security group, with an extra local
-- volume and a private network from a VPC. Deploy it with no account:
--   scwlua deploy --local examples/web-server.lua
-- Knobs (--var name=value): type, image, with_ip, admin_range.
local scw = require "scaleway"
local vars = scw.vars

local vpc = scw.Vpc "web" { tags = { "app:web" } }

local backend = scw.VpcPrivateNetwork "backend" {
  vpc = vpc,
  subnets = { "10.10.0.0/24" },
}

local firewall = scw.SecurityGroup "web" {
  description = "web server",
  inbound_default_policy = "drop",
  rules = {
    { port = 80 },                                             -- inbound TCP from anywhere
    { port = 443 },
    { port = 22, ip_range = vars.admin_range or "192.0.2.0/24" },
    { protocol = "ICMP" },
  },
}

local ip = nil
if scw.var("with_ip", "boolean", true) then
  ip = scw.InstanceIp "web" { tags = { "app:web" } }
end

local data = scw.InstanceVolume "data" {
  type = "l_ssd",
  size = 10,                                                   -- GB
}

local web = scw.Instance "web" {
  type = vars.type or "DEV1-S",
  image = vars.image or "ubuntu_jammy",                        -- a marketplace label, or an image UUID
  tags = { "app:web" },
  ip = ip,                                                     -- nil when with_ip=false: detached, then deleted
  security_group = firewall,
  private_networks = { backend },
  additional_volumes = { data },
  root_volume = { size = 20 },
  user_data = {
    ["cloud-init"] = "#cloud-config\npackages: [nginx]\n",
  },
}

return {
  public_ip = web.public_ip,
  server_id = web.id,
  private_nic = web.private_nics:map(function(nics) return nics[1] and nics[1].mac_address end),
  url = web.public_ip:map(function(address) return address and ("http://" .. address .. "/") end),
}
