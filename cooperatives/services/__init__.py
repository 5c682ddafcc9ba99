"""Writes inside a cooperative's schema. Every function takes keyword arguments only, checks
the cooperative's rules, records itself in the audit log, and leaves nothing half-written."""
