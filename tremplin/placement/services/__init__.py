"""Writes of the placement app, one module per entity or concept."""
