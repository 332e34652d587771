"""Cell assembly and performance (claims 7, 23, 39)."""
