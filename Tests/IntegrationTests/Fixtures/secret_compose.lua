-- secret_compose: values computed from a secret (format, .., template, json, base64, map) are
-- secrets: their plaintext reaches the API (as tags) and is printed nowhere.
local scw = require "scaleway"
local json = require "json"
local base64 = require "base64"
local template = require "template"

local pw = scw.secret("hunter2-pw")

local vpc = scw.Vpc "main" {
  region = "fr-par",
  tags = {
    scw.format("fmt=%s", pw),
    "left-" .. pw,
    pw .. "-right",
    template.render("tpl=${p}", { p = pw }),
    json.encode({ json = pw }),
    "b64=" .. base64.encode(pw),
    pw:map(function(v) return "map=" .. v:upper() end),
  },
}

local app = scw.VpcPrivateNetwork "app" {
  vpc = vpc,
  subnets = { "10.0.1.0/24" },
  tags = {
    scw.format("ref=%s+%s", vpc.id, pw),
    "joined-" .. pw .. "-" .. vpc.id,
  },
}

return {
  joined = "out-" .. pw,
  formatted = scw.format("%s@%s", pw, app.id),
  vpc_id = vpc.id,
}
