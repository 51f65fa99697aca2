-- kubernetes: a Kapsule cluster on its own private network with one pool of nodes, and the
-- kubeconfig kubectl needs. The kubeconfig is a secret: plans and outputs show (sensitive);
-- write it out for kubectl with
--   scwlua output kubeconfig --raw > kubeconfig.yaml
-- Deploy it with no account:
--   scwlua deploy --local examples/kubernetes.lua
-- Knobs (--var name=value): version (a minor, default 1.31: upgrades go one minor at a time),
-- node_type (PRO2-S; a change makes the new pool before the old one goes), size (3),
-- autoscaling (true; with false, size is kept exactly).
local scw = require "scaleway"
local vars = scw.vars
local autoscaling = vars.autoscaling ~= false and vars.autoscaling ~= "false"   -- --var autoscaling=false

local pn = scw.VpcPrivateNetwork "k8s" { subnets = { "10.30.0.0/20" } }

local cluster = scw.K8sCluster "prod" {
  version = vars.version or "1.31",
  cni = "cilium",
  private_network_id = pn,
  auto_upgrade = { enable = true, maintenance_window_start_hour = 3, maintenance_window_day = "sunday" },
  autoscaler_config = { scale_down_delay_after_add = "10m", estimator = "binpacking" },
  delete_additional_resources = true,
  tags = { "env:prod" },
}

local pool = scw.K8sPool "default" {
  cluster_id = cluster,
  node_type = vars.node_type or "PRO2-S",
  size = tonumber(vars.size or "3"),
  autoscaling = autoscaling,
  min_size = autoscaling and 3 or nil,                 -- the autoscaler's bounds
  max_size = autoscaling and 10 or nil,
  autohealing = true,
  kubelet_args = { maxPods = "110" },
  upgrade_policy = { max_surge = 1, max_unavailable = 0 },
  wait_for_pool_ready = true,
}

return {
  api = cluster.apiserver_url,
  kubeconfig = cluster.kubeconfig.config_file,         -- the whole YAML, a secret
  nodes = pool.nodes,
}
