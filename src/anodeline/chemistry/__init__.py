"""Chemistry: target formulas as molar mixtures, claim composition windows, film properties."""
