"""Tests of law."""
