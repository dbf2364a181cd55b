"""Use cases over the domain: what chargers report and what operators ask for."""
