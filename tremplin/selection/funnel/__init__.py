"""The selection funnel: how many people reach each step of one or several calls, broken
down by who they are, against the programme's targets. `build.py` puts it together."""
