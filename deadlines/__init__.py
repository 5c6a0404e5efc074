"""Deadlines: service standards and statutory windows, computed on each event and stored with their law."""
