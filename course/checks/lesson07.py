"""Checks for lesson 07's exercises.  Expected answers come from the models and the data, never typed in."""

from __future__ import annotations

from course.checks.core import ChoiceCheck, NumberCheck, SequenceCheck, register
from course.data import load
from course.models import antibody_pk as pk
from course.models import conjugates as cj

NAMING_EXERCISE = ("nivolumab", "ibritumomab tiuxetan", "trastuzumab", "rituximab")
SOURCE_TYPES = ("murine", "chimeric", "humanized", "human")
TMDD_LOW_DOSE_MG, TMDD_HIGH_DOSE_MG = 1.0, 1000.0  # the two doses exercise 07.3 compares
# CD30 per cell that makes Shah et al.'s patient antigen concentration (166 nM at 1e9 cells/mL).
PATIENT_ANTIGENS_PER_CELL = 1e5


def naming_answer() -> tuple[str, ...]:
    """The catalogue's source type of each antibody in the naming exercise, in order."""
    table = load("antibodies").set_index("inn")
    return tuple(table.loc[inn, "source_type"] for inn in NAMING_EXERCISE)


def zevalin_biological_half_life_h() -> float:
    return float(cj.biological_half_life(cj.ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H, cj.RADIONUCLIDES["Y-90"].half_life_h))


def tmdd_half_life_ratio() -> float:
    """Apparent half-life at a high dose ÷ at a low dose, in the QSS-TMDD model of the lesson."""
    params = pk.MAVRILIMUMAB_STEIN_PELETIER_2018
    return float(pk.apparent_half_life_days(params, TMDD_HIGH_DOSE_MG) / pk.apparent_half_life_days(params, TMDD_LOW_DOSE_MG))


def adc_tumour_to_healthy(antigens_per_cell: float = PATIENT_ANTIGENS_PER_CELL) -> float:
    delivery = cj.payload_delivery(cj.ADCParams(), cj.BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG, antigens_per_cell)
    return float(delivery.tumour_to_healthy)


@register("07.1")
def _naming():
    return SequenceCheck(
        expected=naming_answer(), vocabulary=SOURCE_TYPES,
        hint_order="Read the syllable before -mab: -o- mouse, -xi- chimeric, -zu- humanized, -u- human.",
        explanation="The syllable before -mab names the source, for antibodies named before 2017.")


@register("07.2")
def _biological_half_life():
    return NumberCheck(
        expected=zevalin_biological_half_life_h(), rel_tol=0.02, close_tol=0.2, unit="hours", minimum=0,
        hint_close="Keep all half-lives in hours: yttrium-90's physical half-life is given in hours.",
        hint_wrong="Rearrange 1/T_eff = 1/T_phys + 1/T_bio for T_bio: T_bio = 1 / (1/T_eff − 1/T_phys).",
        explanation="The antibody itself leaves the serum with a half-life of about two days; decay shortens the "
                    "radioactive half-life further.")


@register("07.3")
def _tmdd_ratio():
    return NumberCheck(
        expected=tmdd_half_life_ratio(), rel_tol=0.03, close_tol=0.25, unit="", minimum=0,
        hint_close="Read both half-lives from the explainer's readout at the two doses, then divide.",
        hint_wrong="Divide the apparent half-life at the high dose by the one at the low dose: the answer is "
                   "above 1 if the target speeds up clearance at low dose.",
        explanation="At the low dose the target removes most of the antibody; at the high dose the target is "
                    "saturated and the slow, linear clearance takes over.")


@register("07.4")
def _adc_ratio():
    return NumberCheck(
        expected=adc_tumour_to_healthy(), rel_tol=0.03, close_tol=0.25, unit="", minimum=0,
        hint_close="Use the label dose and 100,000 antigens per cell; read the ratio, not the tumour payload.",
        hint_wrong="Divide the payload per gram of tumour by the payload per gram of healthy tissue.",
        explanation="Each gram of tumour receives several times more drug than a gram of healthy tissue: the "
                    "antibody steers the payload.")


@register("07.5")
def _fcrn():
    return ChoiceCheck(
        options={"A": "FcRn binds the Fc in acidic endosomes and returns the antibody to the blood",
                 "B": "The kidney cannot filter IgG, and nothing else is needed",
                 "C": "IgG binds to red blood cells, which protect it"},
        correct="A",
        why={"A": "FcRn recycling rescues IgG from lysosomal breakdown; without it IgG would last days, not weeks.",
             "B": "Size keeps IgG out of the urine, but cells that take it up would still digest it: FcRn is what "
                  "rescues it.",
             "C": "IgG does not ride on red blood cells; the Fc's binding to FcRn is what keeps it."})
