"""Linting one file: parse, one batched visit of the rules, suppressions, positions."""
