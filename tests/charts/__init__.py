"""Tests of the diagrams and charts."""
