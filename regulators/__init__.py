"""The registry of Ontario regulators and credential assessors, kept as reviewed data files."""
