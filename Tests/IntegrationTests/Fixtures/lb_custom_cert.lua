-- lb_custom_cert: a load balancer serving HTTPS with a certificate chain of its own, read from
-- chain.pem beside the script (the chain holds a private key: it must never be printed or
-- stored in clear).
local scw = require "scaleway"
local file = require "file"

local lb = scw.LoadBalancer "web" { type = "LB-S" }
local be = scw.LbBackend "web" { lb = lb, forward_protocol = "tcp", forward_port = 443, server_ips = { "10.0.0.2" } }
local cert = scw.LbCertificate "custom" { lb = lb, custom_certificate = { certificate_chain = file.read("chain.pem") } }
scw.LbFrontend "https" { lb = lb, backend = be, inbound_port = 443, certificates = { cert } }

return { fingerprint = cert.fingerprint, expires = cert.not_valid_after }
