"""Candidates: supported chemistry only, inside the template's process window."""

from __future__ import annotations

from anodeline.chemistry.systems import SYSTEMS
from anodeline.doe.candidates import candidates, target_of
from anodeline.doe.recipes import admissible, load_template
from tests.conftest import EXAMPLES

TEMPLATE = load_template(EXAMPLES / "patent" / "example-01.yaml")


def test_every_candidate_lies_in_its_systems_glass_forming_range_and_passes_validate() -> None:
    check = admissible(TEMPLATE)
    found = candidates(("SiS2", "GeS2"), ("sputtering",), (25.0, 75.0), admissible=check)
    assert found and {c.former for c in found} <= {"SiS2", "GeS2"}
    for c in found:
        low, high = SYSTEMS[c.former].glass_forming_li2s_mol_pct
        assert low < c.li2s_mol_pct < high and c.target == target_of(c.former, c.li2s_mol_pct)
        assert len(c.centres) > 1 and c.noise_sd > 0 and check(c)


def test_the_window_removes_films_the_claims_refuse() -> None:
    everything = candidates(("SiS2",), ("sputtering",), (25.0,))
    allowed = candidates(("SiS2",), ("sputtering",), (25.0,), admissible=admissible(TEMPLATE))
    assert len(allowed) < len(everything)  # 42Li2S-58SiS2 has 28 at% Li: outside the claims' 30-65 %
