"""Readers: files, JSONL, stdin and HTML -> Article records; bad input -> InputError values."""
