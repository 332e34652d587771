"""The chemistry a film's properties depend on, and the literature priors outside the patent's data.

A sulfide electrolyte target is Li2S + a sulfide network former (SiS2, P2S5, GeS2, Ga2S3,
B2S3) + optionally an oxysalt or halide dopant. :func:`film_chemistry` reads that from the
target formula; :data:`SYSTEMS` holds, per binary glass system Li2S–MxSy, what the
literature says about it: the glass-forming range in mol % Li2S, a reference glass σ25/Ea,
the crystalline phase that precipitates on heating with its σ25/Ea and the JMAK
crystallisation constants used by :mod:`anodeline.chemistry.crystallisation`. Values that
are estimates, not measurements, are marked ``(est.)`` in their ``source``.

Where neither the patent's data nor a prior supports a prediction — no sulfide network
former (``100Li2S``), a former with no prior (e.g. SnS2), Li2S outside the glass-forming
range — :func:`unsupported_reason` says why; :func:`require_supported` raises
:class:`~anodeline.errors.ModelDomainError`. ``validate`` reports it as FLM001
(:mod:`anodeline.recipe.rules.films`) and ``predict`` refuses the σ25.

Sources (full list in docs/models/film-properties.md, "Chemistry and priors"):

- Li2S–SiS2: glass-forming range by melt quenching ≈ 40–60 mol % Li2S, extended by rapid
  (twin-roller) quenching; the patent's vapour-deposited films reach 65.3 mol % (Table 2,
  sample 14), so the upper limit is taken at 67 (est.). Glass σ25 ≈ 5e-4 S/cm, Ea ≈ 32
  kJ/mol at 60Li2S·40SiS2 (Pradel & Ribes, Mater. Chem. Phys. 23 (1989) 121; Kennedy,
  Thin Solid Films 43 (1977) 41 for sputtered sulfide films) (approx.).
- Li2S–P2S5: glass-forming range 60–80 mol % Li2S by mechanical milling (Hayashi et al.,
  J. Am. Ceram. Soc. 84 (2001) 477); 70Li2S·30P2S5 glass ≈ 5e-5 S/cm (approx.); heating it
  precipitates the metastable Li7P3S11 at 280–360 °C: glass-ceramic 3.2e-3 S/cm, Ea 12
  kJ/mol (Mizuno et al., Solid State Ionics 177 (2006) 2721), up to 4.1e-3 S/cm after
  360 °C for 1 h; further heating gives Li4P2S6 and lower σ (Minami et al., J. Mater. Sci.
  43 (2008) 1885).
- Li2S–GeS2: glass-forming range ≈ 40–65 mol % Li2S (Souquet et al., Solid State Ionics 5
  (1981) 77) (approx.); Tg ≈ 160 °C for a Ge-containing PLD film (Ito et al., J. Ceram.
  Soc. Jpn. 122 (2014) 341).
- Li2S–Ga2S3 and Li2S–B2S3: no binary reference at hand: ranges and constants (est.).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from anodeline.errors import ModelDomainError

#: Elements that make a component a halide dopant (LiI, LiBr, LiCl) rather than a former.
_HALOGENS = frozenset({"F", "Cl", "Br", "I"})
_ANIONS = frozenset({"O", "N"})


@dataclass(frozen=True)
class CrystalPhase:
    """What precipitates when the glass crystallises, and how fast (JMAK constants).

    ``sigma25_s_per_cm`` is the fully crystallised film's σ25 when the literature gives it;
    ``None`` means "``relative_sigma`` × the glass's σ25" (a factor, est.). ``ea_kj_per_mol``
    ``None`` means the glass's compensation line is used at that σ25.
    """

    name: str
    sigma25_s_per_cm: float | None
    relative_sigma: float
    ea_kj_per_mol: float | None
    half_temperature_degc: float  # isothermal hold of 1 h crystallises half the glass here
    activation_energy_kj_per_mol: float  # of the JMAK rate constant k(T)
    avrami_exponent: float
    ln_sd: float  # 1-σ of ln σ25 of the crystalline phase (prior uncertainty)
    valid_up_to_degc: float  # beyond: another phase forms, not modelled
    source: str


@dataclass(frozen=True)
class GlassSystem:
    """A binary Li2S–former glass system and its literature priors."""

    former: str  # formula of the sulfide former, e.g. "SiS2"
    element: str  # its network-forming element, e.g. "Si"
    glass_forming_li2s_mol_pct: tuple[float, float]
    glass_sigma25_s_per_cm: float  # a reference bulk glass (literature, for the comparison table)
    glass_ea_kj_per_mol: float
    glass_reference: str
    tg_degc: float
    crystal: CrystalPhase
    source: str


_SI_CRYSTAL = CrystalPhase(
    "Li4SiS4/Li2SiS3 (est.)", None, 0.1, None, 330.0, 250.0, 2.0, math.log(3.0), 450.0,
    "patent description (heating near Tg degrades the amorphous film and lowers σ); "
    "factor 0.1, half in 1 h at Tg + 30 K, Avrami n = 2, E = 250 kJ/mol (est.)",
)  # fmt: skip
_P_CRYSTAL = CrystalPhase(
    "Li7P3S11 glass-ceramic", 3.2e-3, 1.0, 12.0, 270.0, 100.0, 1.5, math.log(1.5), 360.0,
    "Mizuno et al., Solid State Ionics 177 (2006) 2721 (3.2e-3 S/cm, 12 kJ/mol); "
    "Minami et al., J. Mater. Sci. 43 (2008) 1885 (280-360 °C, up to 4.1e-3 S/cm; Li4P2S6 beyond); "
    "JMAK: half in 1 h at 270 °C, n = 1.5, E = 100 kJ/mol (est.: crystallinity and σ rise over 240-360 °C)",
)  # fmt: skip
_GE_CRYSTAL = CrystalPhase(
    "Li4GeS4/Li2GeS3 (est.)", None, 0.1, None, 185.0, 250.0, 2.0, math.log(3.0), 400.0,
    "Li4GeS4 crystal is a poor conductor (thio-LISICON end member); "
    "factor 0.1, half in 1 h at Tg + 25 K, n = 2, E = 250 kJ/mol (est.)",
)  # fmt: skip


def _estimated_crystal(tg_degc: float) -> CrystalPhase:
    return CrystalPhase(
        "crystalline lithium thio-salt (est.)", None, 0.1, None, tg_degc + 25.0, 250.0, 2.0, math.log(3.0),
        tg_degc + 150.0, "no reference at hand: factor 0.1, half in 1 h at Tg + 25 K, n = 2, E = 250 kJ/mol (est.)",
    )  # fmt: skip


#: former formula → its glass system with literature priors.
SYSTEMS: dict[str, GlassSystem] = {
    s.former: s
    for s in (
        GlassSystem("SiS2", "Si", (40.0, 67.0), 5e-4, 32.0, "60Li2S·40SiS2 bulk glass (approx.)", 300.0, _SI_CRYSTAL,
                    "Pradel & Ribes, Mater. Chem. Phys. 23 (1989) 121 (range 40-60 by melt quench, approx.); "
                    "upper limit 67 from the patent's 65.3 mol % films (est.); Tg 300-340 °C (est.)"),
        GlassSystem("P2S5", "P", (60.0, 80.0), 5e-5, 38.0, "70Li2S·30P2S5 melt-quenched glass (approx.)", 200.0,
                    _P_CRYSTAL, "Hayashi et al., J. Am. Ceram. Soc. 84 (2001) 477 (60-80 mol % by milling); "
                    "Tg ≈ 200 °C (est.)"),
        GlassSystem("GeS2", "Ge", (40.0, 65.0), 1e-4, 40.0, "60Li2S·40GeS2 glass (est.)", 160.0, _GE_CRYSTAL,
                    "Souquet et al., Solid State Ionics 5 (1981) 77 (range, approx.); Tg: Ito et al., "
                    "J. Ceram. Soc. Jpn. 122 (2014) 341 (Ge-containing film)"),
        GlassSystem("Ga2S3", "Ga", (50.0, 70.0), 1e-4, 40.0, "no binary glass reference (est.)", 200.0,
                    _estimated_crystal(200.0), "no reference at hand; range around the patent's one film (est.)"),
        GlassSystem("B2S3", "B", (50.0, 80.0), 1e-4, 40.0, "no binary glass reference (est.)", 200.0,
                    _estimated_crystal(200.0), "no reference at hand (est.)"),
    )
}  # fmt: skip
#: network-forming element → former formula.
FORMER_OF_ELEMENT: dict[str, str] = {s.element: s.former for s in SYSTEMS.values()}


@dataclass(frozen=True)
class FilmChemistry:
    """What the film's properties depend on: Li2S share of the glass, its formers, its dopants."""

    target: str
    li2s_mol_pct: float  # Li2S / (Li2S + sulfide formers), mol %: the binary glass's composition
    formers: tuple[str, ...]  # sulfide former formulas present, e.g. ("SiS2",)
    unknown_formers: tuple[str, ...]  # sulfide components with no prior, e.g. ("SnS2",)
    dopants: tuple[str, ...]  # oxysalt / oxynitride / halide components
    dopant_mol_pct: float  # of the whole target

    @property
    def systems(self) -> tuple[GlassSystem, ...]:
        """The glass systems of the formers present (with priors)."""
        return tuple(SYSTEMS[f] for f in self.formers)

    @property
    def glass_forming_li2s_mol_pct(self) -> tuple[float, float] | None:
        """The glass-forming range: of the one system, or the hull of several (mixed formers widen it, est.)."""
        systems = self.systems
        if not systems:
            return None
        return min(s.glass_forming_li2s_mol_pct[0] for s in systems), max(
            s.glass_forming_li2s_mol_pct[1] for s in systems
        )


#: atoms of the network-forming element per formula unit of its former (P2S5 has 2 P).
_ATOMS_PER_UNIT = {"Si": 1.0, "P": 2.0, "Ge": 1.0, "Ga": 2.0, "B": 2.0}


@cache
def film_chemistry(target: str) -> FilmChemistry:
    """Read the film chemistry from a target written as a molar mixture (e.g. ``57Li2S-38SiS2-5Li3PO4``).

    A thio-salt component counts as its Li2S and former parts (Li3PS4 = 1.5 Li2S + 0.5 P2S5).
    """
    from anodeline.chemistry.composition import parse_mixture

    mixture = parse_mixture(target)
    total = sum(c.amount for c in mixture.components)
    li2s = sulfide = dopant = 0.0
    formers: list[str] = []
    unknown: list[str] = []
    dopants: list[str] = []
    for c in mixture.components:
        counts = dict(c.amounts)
        others = set(counts) - {"Li", "S"}
        if others & _ANIONS or (others and others <= _HALOGENS) or "S" not in counts:
            dopants.append(c.formula)
            dopant += c.amount
            continue
        li2s += c.amount * counts.get("Li", 0.0) / 2.0
        for element in sorted(others):
            if element in FORMER_OF_ELEMENT:
                sulfide += c.amount * counts[element] / _ATOMS_PER_UNIT[element]
                if FORMER_OF_ELEMENT[element] not in formers:
                    formers.append(FORMER_OF_ELEMENT[element])
            else:
                sulfide += c.amount * counts[element]
                unknown.append(c.formula)
    glass = li2s + sulfide
    return FilmChemistry(
        target,
        100.0 * li2s / glass if glass > 0 else (100.0 if li2s > 0 else 0.0),
        tuple(formers),
        tuple(unknown),
        tuple(dopants),
        100.0 * dopant / total if total > 0 else 0.0,
    )


def unsupported_reason(target: str) -> tuple[str, str] | None:
    """(why, hint) when no data or prior supports a σ25 for films of ``target``; ``None`` when supported."""
    chemistry = film_chemistry(target)
    known = ", ".join(SYSTEMS)
    if chemistry.unknown_formers:
        return (
            f"{target}: no data or prior for the network former(s) {', '.join(chemistry.unknown_formers)}",
            f"the film model knows Li2S glasses with {known}; measure the film instead of predicting it",
        )
    if not chemistry.formers:
        return (
            f"{target}: no sulfide glass former ({known}) — not a glass the model or the patent covers",
            f"add a network former, e.g. 60Li2S-40SiS2 (Li2S–SiS2 forms a glass at "
            f"{SYSTEMS['SiS2'].glass_forming_li2s_mol_pct[0]:g}–{SYSTEMS['SiS2'].glass_forming_li2s_mol_pct[1]:g} "
            f"mol % Li2S)",
        )
    low, high = chemistry.glass_forming_li2s_mol_pct or (0.0, 100.0)
    if not low - 1e-9 <= chemistry.li2s_mol_pct <= high + 1e-9:
        names = "–".join(("Li2S", *chemistry.formers))
        return (
            f"{target}: Li2S is {chemistry.li2s_mol_pct:.3g} mol % of the {names} glass, outside its glass-forming "
            f"range {low:g}–{high:g} mol % (docs/models/film-properties.md, priors)",
            f"bring Li2S to {low:g}–{high:g} mol % of Li2S + {' + '.join(chemistry.formers)}",
        )
    return None


def require_supported(target: str, location: str = "") -> FilmChemistry:
    """The film chemistry of ``target``; raises :class:`ModelDomainError` where nothing supports a prediction."""
    reason = unsupported_reason(target)
    if reason is not None:
        raise ModelDomainError(reason[0], hint=reason[1], location=location)
    return film_chemistry(target)
