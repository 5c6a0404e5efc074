"""The HTTP interface: FastAPI routes under /api/v1."""
