"""The law and the road, as data with citations: states and steps, calendars, statutory windows,
service-standard stages and project defaults. No database; every floor may import it."""
