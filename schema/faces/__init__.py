"""GraphQL: faces."""
