"""Fairness flags: findings for the Office of the Fairness Commissioner, raised by events and the scan."""
