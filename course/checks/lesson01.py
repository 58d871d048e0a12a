"""Checks for lesson 01's exercises.  Expected answers come from the model and the data, never typed in."""

from __future__ import annotations

import numpy as np

from course.checks.core import ChoiceCheck, NumberCheck, SequenceCheck, TextCheck, register
from course.data import load
from course.models import neoantigens as model

MELANOMA = "Melanoma"


def melanoma_tmb() -> float:
    data = load("tmb_response")
    return float(data.loc[data.cancer_type == MELANOMA, "median_tmb_mut_per_mb"].iloc[0])


@register("01.1")
def _expected_neoantigens_in_melanoma():
    p = model.NeoantigenParams()
    return NumberCheck(
        expected=float(model.expected_recognised(melanoma_tmb(), p)), rel_tol=0.02, close_tol=0.2,
        unit="neoantigens", minimum=0,
        hint_close="Use the melanoma TMB exactly as the data file gives it, without rounding.",
        hint_wrong=(f"Multiply the TMB by {p.nonsynonymous_per_tmb:g} non-synonymous mutations per mut/Mb, then by "
                    f"the recognised fraction {p.immunogenic_fraction:g} (that is {100 * p.immunogenic_fraction:g} %, "
                    "so not 1.6), or call model.expected_recognised."),
        explanation="A few recognised neoantigens per tumour: enough for T cells to have a target.")


@register("01.2")
def _tmb_for_one_neoantigen():
    p = model.NeoantigenParams()
    return NumberCheck(
        expected=model.tmb_for_expected(1.0, p), rel_tol=0.02, close_tol=0.2, unit="mutations/Mb", minimum=0,
        hint_close="Solve λ = 1 exactly rather than reading it off the figure.",
        hint_wrong="Set expected recognised neoantigens to 1 and solve for TMB: TMB = 1 / (20 × 0.016).",
        explanation="At this burden the model expects one recognised neoantigen, so about 37 % (e⁻¹) of such "
                    "tumours would offer T cells none at all.")


# Short names students use for the data set's cancer types.
ALIASES = {"Merkel Cell Carcinoma": ("Merkel cell carcinoma", "Merkel", "MCC", "Merkel cell")}


def furthest_above_fit() -> str:
    data = load("tmb_response")
    fit = model.fit_response_vs_tmb(data.median_tmb_mut_per_mb, data.orr_percent)
    residual = data.orr_percent - fit.predict(data.median_tmb_mut_per_mb)
    return str(data.cancer_type.iloc[int(np.argmax(residual.to_numpy()))])


@register("01.3")
def _furthest_above_the_fit():
    name = furthest_above_fit()
    return TextCheck(
        accepted=(name,) + ALIASES.get(name, ()),
        hint_wrong="Look for the dot that stands highest above the dashed line, not simply the highest dot.",
        explanation="Most Merkel cell carcinomas carry Merkel cell polyomavirus: viral proteins are foreign "
                    "antigens, so response is high for the few mutations.")


@register("01.4")
def _who_kills_mhc_negative_cells():
    return ChoiceCheck(
        options={"A": "CD8+ cytotoxic T cell", "B": "NK cell", "C": "B cell", "D": "mast cell"},
        correct="B",
        why={"A": "CD8+ T cells recognise peptide on MHC class I, which this cell no longer shows.",
             "B": "NK cells kill cells that have lost MHC class I ('missing self').",
             "C": "B cells make antibodies; they do not kill tumour cells directly.",
             "D": "Mast cells release inflammatory mediators; they are not the killers here."})


@register("01.5")
def _immunoediting_order():
    return SequenceCheck(
        expected=("elimination", "equilibrium", "escape"),
        vocabulary=("elimination", "equilibrium", "escape", "invasion", "metastasis"),
        hint_order="Think of what comes first: the immune system removes what it can, then holds the rest in check.",
        explanation="The three Es of cancer immunoediting (Dunn, Old & Schreiber 2004).")

