"""Renderers: each takes a Comparison (or a Report) and returns text; none recomputes it."""
