"""Helpers the test modules share; conftest.py keeps only fixtures and hooks."""
