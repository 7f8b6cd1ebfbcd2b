"""Use cases: each owns its transaction and is called by the API, the CLI or an actor."""
