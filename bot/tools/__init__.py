"""Tools, not product code: synthetic campaign data and the NLU and situation evaluations."""
