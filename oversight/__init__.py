"""Oversight figures: timeliness, outcomes and expectations, all computed in SQL over the projections."""
