"""Repository functions: keyword-only, shaped for one job each, never commit."""
