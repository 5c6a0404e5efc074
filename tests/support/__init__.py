"""Test drivers and scenario builders shared by every concept's tests."""
