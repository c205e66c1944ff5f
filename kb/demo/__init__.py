"""Invented demo data for the observatory: `generate(session)` fills an empty database (the caller commits)."""

from kb.demo.generator import generate

__all__ = ["generate"]
