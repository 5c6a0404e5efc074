"""Integrations: bulk imports from organizations' own case systems, webhooks to them, emails to
applicants, and the transactional outbox the worker sends from."""
