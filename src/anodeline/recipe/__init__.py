"""Recipes: the YAML language, loading with locations, and process-window validation."""
