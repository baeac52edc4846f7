"""Scoring extraction against gold sets; entity timelines."""
