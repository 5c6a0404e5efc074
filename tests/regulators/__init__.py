"""Tests of regulators."""
