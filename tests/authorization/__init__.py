"""The authorization matrix: every URL × every persona → the status it must answer."""
