"""Evaluation suites (cases as YAML/JSONL) and the runner that scores the advisor against them."""
