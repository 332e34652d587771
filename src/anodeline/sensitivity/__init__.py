"""Global sensitivity of σ25, exposure and cycle time to a recipe's inputs and the model's estimates.

:mod:`.factors` says what may vary and over what range (with sources), :mod:`.evaluate` runs
one point on the twin, :mod:`.analyse` samples and ranks with SALib (Morris or Sobol).
"""
