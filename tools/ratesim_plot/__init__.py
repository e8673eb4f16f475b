"""Charts and the HTML report for ratesim's outputs (tools/plot.py is the command)."""
