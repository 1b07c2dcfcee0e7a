"""The Django platform around the domain core: persistence, web UI, roles, audit, background work."""
