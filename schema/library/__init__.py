"""GraphQL: library."""
