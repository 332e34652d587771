"""Deposition physics: rates per method, target-to-film composition transfer, substrate heating."""
