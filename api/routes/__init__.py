"""REST routes for binary data (uploads, images) and the app's own pages."""
