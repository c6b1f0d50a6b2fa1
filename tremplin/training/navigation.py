"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations
