"""Writes for selection, one module per entity: each function is one atomic action,
audited in the same transaction. Callers import the module they need."""
