"""Design of experiments: the next films to make to shrink the film model's uncertainty most.

:mod:`.candidates` lists films the line could make (systems, Li2S shares, methods,
temperatures) with the model's predictive spread for each; :mod:`.select` picks the ones
whose measurement would reduce the model's variance most; :mod:`.recipes` writes them as
recipes ready for ``anodeline validate``.
"""
