"""GraphQL: labels."""
