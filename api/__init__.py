"""The Starlette app: /graphql, the binary REST routes, the web client."""
