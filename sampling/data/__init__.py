"""Reference tables for sampling: London boroughs, SIC 2007 sections, sector groups."""
