"""Reads of the placement app, scoped to the acting user: one module per entity or concept."""
