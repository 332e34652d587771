"""Film chemistry from the target, and where no data or prior supports a σ25."""

from __future__ import annotations

import pytest

from anodeline.chemistry.systems import SYSTEMS, film_chemistry, require_supported, unsupported_reason
from anodeline.errors import ModelDomainError


def test_the_patents_target_is_a_60_mol_percent_li2s_sis2_glass_with_a_dopant() -> None:
    chemistry = film_chemistry("57Li2S-38SiS2-5(Li2O-P2O5)")
    assert chemistry.formers == ("SiS2",)
    assert chemistry.li2s_mol_pct == pytest.approx(60.0)
    assert chemistry.dopant_mol_pct == pytest.approx(5.0)
    assert unsupported_reason(chemistry.target) is None


def test_a_thio_salt_counts_as_its_li2s_and_former_parts() -> None:
    chemistry = film_chemistry("75Li3PS4-25LiI")  # Li3PS4 = 1.5 Li2S + 0.5 P2S5: 75 mol % Li2S
    assert chemistry.formers == ("P2S5",)
    assert chemistry.li2s_mol_pct == pytest.approx(75.0)
    assert chemistry.dopants == ("LiI",)


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("100Li2S", "no sulfide glass former"),
        ("90Li2S-10SiS2", "outside its glass-forming range"),
        ("50Li2S-50P2S5", "outside its glass-forming range"),
        ("60Li2S-40SnS2", "SnS2"),
    ],
)
def test_no_data_or_prior_is_explained(target: str, why: str) -> None:
    reason = unsupported_reason(target)
    assert reason is not None and why in reason[0] and reason[1]
    with pytest.raises(ModelDomainError, match=why) as caught:
        require_supported(target, "layers[0].target")
    assert caught.value.location == "layers[0].target"


def test_every_patent_film_is_supported() -> None:
    from anodeline.chemistry.dataset import load_patent_samples

    assert all(unsupported_reason(s.target) is None for s in load_patent_samples())


def test_every_system_has_a_sourced_range_and_crystal() -> None:
    for system in SYSTEMS.values():
        low, high = system.glass_forming_li2s_mol_pct
        assert 0 < low < high < 100
        assert system.source and system.crystal.source
        assert system.crystal.avrami_exponent > 0 and system.crystal.ln_sd > 0
