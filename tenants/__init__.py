"""Shared (public-schema) apps: cooperatives, their domains, sign-up and provisioning."""
