#!/usr/bin/env python3
# The benchmark's peer: the same work written the way a user would without scwlua, with the
# official Scaleway Python SDK (`scaleway` from PyPI), one call after another, against the
# same emulator. scripts/bench.sh times the whole process (start and import included), as it
# times scwlua.
#
#   peer.py wide N URL     create N private networks tagged "peer"
#   peer.py chain N URL    create a chain of N private networks, each tagged with the id of
#                          the one before (so each create needs the previous answer)
#   peer.py check URL      what a no-op re-plan does: read back the networks tagged "peer"
#                          ($PEER_TAG if set; one tagged list, all pages) and check them
#   peer.py delete URL     delete every network tagged "peer"
import os
import sys

from scaleway import Client
from scaleway.vpc.v2 import VpcV2API

PROJECT = "11111111-1111-4111-8111-111111111111"   # the emulator's project


def api(url: str) -> VpcV2API:
    client = Client(access_key="SCWLOCALEMULATOR0000", secret_key="00000000-0000-4000-8000-00000000e0e0",
                    default_project_id=PROJECT, default_organization_id=PROJECT,
                    default_region="fr-par", default_zone="fr-par-1", api_url=url)
    return VpcV2API(client)


def main() -> None:
    mode = sys.argv[1]
    if mode in ("wide", "chain"):
        n, vpc = int(sys.argv[2]), api(sys.argv[3])
        previous = None
        for i in range(1, n + 1):
            tags = ["peer"] + ([f"after:{previous}"] if mode == "chain" and previous else [])
            pn = vpc.create_private_network(name=f"peer-{mode}-{i}", tags=tags, project_id=PROJECT,
                                            default_route_propagation_enabled=False)
            previous = pn.id
    elif mode == "check":
        vpc, tag = api(sys.argv[2]), os.environ.get("PEER_TAG", "peer")
        found = vpc.list_private_networks_all(tags=[tag], project_id=PROJECT, page_size=100)
        drifted = [pn.name for pn in found if tag not in pn.tags]
        print(f"{len(found)} networks, {len(drifted)} drifted")
    elif mode == "delete":
        vpc = api(sys.argv[2])
        for pn in vpc.list_private_networks_all(tags=["peer"], project_id=PROJECT, page_size=100):
            vpc.delete_private_network(private_network_id=pn.id)
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
