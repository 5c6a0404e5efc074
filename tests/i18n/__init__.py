"""Tests of the catalogs and the language a person reads."""
