"""The coordinating floor: one unit of work per user action (open an application, record an event,
replace a profile...), what an event sets off, the application detail and the periodic scan."""
