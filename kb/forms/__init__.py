"""Input models and form parsing: validation with French messages, before any service runs."""
