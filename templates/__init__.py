"""Jinja2 templates for pages and PDFs, shipped as package data so `pip install .` serves them too."""
