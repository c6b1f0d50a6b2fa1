"""Forms of the placement pages, one module per entity or concept."""
