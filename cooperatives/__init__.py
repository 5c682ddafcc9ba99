"""Tenant apps: everything that lives inside one cooperative's own schema."""
