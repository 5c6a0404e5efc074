"""Applicant profiles: the few facts about a person that outcome measurement needs."""
