"""GraphQL: photos."""
