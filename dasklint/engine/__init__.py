"""The engine: discovery, pre-filter, parse, one batched visit, suppressions, parallel runs."""
