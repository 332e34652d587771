"""Tests of the atmosphere physics (humidity, purge, pump-down, glove box, mixing)."""
