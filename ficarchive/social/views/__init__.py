"""The social app's views, one module per topic."""
