"""Diagrams and charts drawn on the server as accessible SVG, each with its text alternative from the
same data: the same code serves pages and documents (PDF)."""
