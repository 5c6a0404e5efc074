"""The `fairtrack` command line: serve, migrate, demo data, accounts, keys, registry, verify, scan."""
