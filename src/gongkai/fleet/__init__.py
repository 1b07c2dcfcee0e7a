"""The fleet: fictional government sites of one city, with ground-truth defects, served on loopback.

Used by tests, the demo, benchmarks and the checks engineer::

    from gongkai.fleet import generate_fleet, FleetServer
    fleet = generate_fleet(12, seed=7)
    with FleetServer(fleet) as server:
        url = server.url_of(fleet.sites[0])      # http://127.0.0.1:PORT/
        truth = fleet.sites[0].manifest          # [{"check", "subject", "url"}, ...]
"""

from gongkai.fleet.generate import (
    CMS_STYLES,
    DEFECT_CHECKS,
    Defect,
    Fleet,
    FleetSite,
    generate_fleet,
)
from gongkai.fleet.outages import Outages
from gongkai.fleet.server import FAULT_MODES, FleetServer, RequestLog

__all__ = [
    "CMS_STYLES",
    "DEFECT_CHECKS",
    "FAULT_MODES",
    "Defect",
    "Fleet",
    "FleetServer",
    "FleetSite",
    "Outages",
    "RequestLog",
    "generate_fleet",
]
