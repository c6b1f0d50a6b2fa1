"""Training's forms, one module per concept (docs/architecture.md: nothing re-exported here)."""
