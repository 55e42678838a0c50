"""The fieldwork app's pure core: paradata timings and interviewer quality indicators over
plain values (no Django, no app; import contract in pyproject.toml)."""
