"""The Strawberry GraphQL schema (one folder per domain; ``schema.schema`` assembles it)."""
