"""Lesson 07: what an antibody is made of, what its name says, and what it can carry."""

from __future__ import annotations

from functools import lru_cache

from course import data
from course.explainers.base import Control, Explainer
from course.figures import antibody as figs

# The figure's labels → the catalogue's `format` values (course/data/antibodies.csv).
_FORMAT_OF = {"naked antibody": "naked", "antibody–drug conjugate": "antibody-drug conjugate",
              "radioimmunoconjugate": "radioimmunoconjugate"}
TABLE_COLUMNS = ("inn", "target", "source_type", "format", "payload", "example_use", "first_fda_approval_year")
_WHAT_IS_MOUSE = {
    "murine": "every domain is mouse sequence",
    "chimeric": "the variable domains (VH, VL) are mouse, the constant domains human",
    "humanized": "only the CDR loops are mouse, grafted onto a human antibody",
    "human": "no domain is mouse sequence",
}


@lru_cache(maxsize=None)
def examples(source_type: str, fmt: str, limit: int = 3) -> tuple[str, ...]:
    """Approved antibodies of the course's catalogue with this source type and format.

    Cached: the catalogue does not change while the course runs, and a redraw should not reread it.
    """
    table = data.load("antibodies")
    rows = table[(table["source_type"] == source_type) & (table["format"] == _FORMAT_OF[fmt])]
    return tuple(f"{r.inn} ({r.target})" for r in rows.head(limit).itertuples())


def antibody_table():
    """The course's antibody catalogue as a table a student reads (name, target, source, format, payload, use)."""
    table = data.load("antibodies")[list(TABLE_COLUMNS)]
    return table.rename(columns={"inn": "name (INN)", "source_type": "source", "example_use": "approved for, e.g.",
                                 "first_fda_approval_year": "first US approval"}).set_index("name (INN)")


class AntibodyAnatomy(Explainer):
    title = "Antibody anatomy: where the sequence comes from, and what the antibody carries"
    controls = (
        Control("source_type", "Source of the sequence", default="humanized", options=figs.SOURCE_TYPES,
                help="murine antibodies are all mouse; chimeric keep mouse variable domains; humanized keep only the "
                     "mouse CDR loops; human antibodies have none"),
        Control("fmt", "Format", default="naked antibody", options=figs.FORMATS,
                help="a naked antibody acts through its target and its Fc; a conjugate also carries a drug or a "
                     "radionuclide to the cells it binds"),
    )

    def build_figure(self):
        return figs.antibody_figure(self.values["source_type"], self.values["fmt"])

    def compute(self, source_type, fmt):
        return {"source_type": source_type, "fmt": fmt, "examples": examples(source_type, fmt)}

    def redraw(self, fig, r):
        figs.set_antibody(fig, r["source_type"], r["fmt"])

    def summary(self, r):
        kind = r["source_type"]
        listed = ", ".join(r["examples"]) if r["examples"] else "none in the course's catalogue"
        plural = {"naked antibody": "naked antibodies"}.get(r["fmt"], r["fmt"] + "s")
        return (f"{kind.capitalize()} ({figs.NAME_ENDINGS[kind]}): {_WHAT_IS_MOUSE[kind]}. "
                f"{kind.capitalize()} {plural} in the course's catalogue: {listed}.")
