"""Pick the films whose measurement shrinks the model's variance most (greedy, one at a time).

The candidates' reducible covariance is ``K = cov(refit centres) + D``, with ``D`` the
domain variance shared within a (former, method) cell (:mod:`.candidates`). Measuring
candidate ``j`` (noise ``s0²``, the in-domain film-to-film scatter) updates it as a Gaussian
observation does:

    K ← K − K[:, j] K[j, :] / (K_jj + s0²)

and reduces the summed variance over all candidates by ``Σ_i K_ij² / (K_jj + s0²)`` (the
integrated-variance criterion of active learning: MacKay, Neural Comput. 4 (1992) 590;
Cohn, Ghahramani & Jordan, JAIR 4 (1996) 129). The film with the largest reduction is
picked, ``K`` updated, and the next picked from what is left — so the second film goes where
the first did not already teach the model. The ensemble is treated as Gaussian (its
covariance only): an approximation stated here, not a fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from anodeline.doe.candidates import Candidate


@dataclass(frozen=True)
class Proposal:
    candidate: Candidate
    variance_before: float  # reducible ln-variance of this film before any new film is made
    reduction: float  # summed ln-variance over all candidates this film removes
    share_of_total: float  # of the summed reducible variance before the first proposal


def propose(found: list[Candidate], count: int, base_noise_sd: float) -> list[Proposal]:
    """The ``count`` films to make next, best first (fewer if there are fewer candidates)."""
    import numpy as np

    if not found:
        return []
    centres = np.array([c.centres for c in found], dtype=float)
    k = np.cov(centres, bias=True)
    k = np.atleast_2d(k)
    base = base_noise_sd**2
    for i, a in enumerate(found):
        for j, b in enumerate(found):
            if a.cell == b.cell:
                k[i, j] += max(min(a.noise_sd, b.noise_sd) ** 2 - base, 0.0)
    total = float(np.trace(k))
    chosen: list[Proposal] = []
    taken: set[int] = set()
    for _ in range(min(count, len(found))):
        gains = (k**2).sum(axis=0) / (np.diag(k) + base)
        for index in taken:
            gains[index] = -1.0
        j = int(np.argmax(gains))
        chosen.append(Proposal(found[j], float(k[j, j]), float(gains[j]), float(gains[j]) / total if total else 0.0))
        taken.add(j)
        column = k[:, j].copy()
        k = k - np.outer(column, column) / (column[j] + base)
    return chosen
