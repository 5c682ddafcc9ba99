"""What several apps use: tenancy helpers, base API pieces, the user model, audit log, factories."""
