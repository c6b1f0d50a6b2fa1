"""Training's selectors, one module per concept (docs/architecture.md: nothing re-exported here)."""
