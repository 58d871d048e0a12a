"""The lessons of the course: titles, objectives, time, prerequisites.

Course structure, not published numbers: the start lesson's map, the README and
the structure tests read it from here, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

# Public GitHub "owner/name" that Binder builds.  Set it once here when the
# course is published (README's badge uses the same value).
BINDER_REPOSITORY = "OWNER/cancer-immunotherapy-course"
BINDER_BRANCH = "main"


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    minutes: int
    prerequisites: tuple[str, ...]
    available: bool

    @property
    def filename(self) -> str:
        return f"{self.number}_{self.slug}.ipynb"

    @property
    def binder_url(self) -> str:
        return binder_url(f"lessons/{self.filename}")


def binder_url(path: str) -> str:
    return (f"https://mybinder.org/v2/gh/{BINDER_REPOSITORY}/{BINDER_BRANCH}"
            f"?urlpath=lab/tree/{path}")


LESSONS: tuple[Lesson, ...] = (
    Lesson("00", "start_here", "Start here",
           "How the course works: the map, widgets, quizzes and exercise checks.",
           ("find your way through the lessons and their prerequisites",
            "drive an explainer with its controls and read its readout",
            "answer a self-check quiz and an exercise check"),
           15, (), True),
    Lesson("01", "immune_system_and_cancer", "The immune system and cancer",
           "Mutations make tumour antigens; innate and adaptive cells watch for them; tumours are edited and escape.",
           ("explain how mutations create tumour antigens the immune system can see as non-self",
            "name the innate and adaptive immune cells and say how each acts against, or for, a tumour",
            "describe immunosurveillance, the three phases of immunoediting and the cancer–immunity cycle",
            "estimate presented neoantigens from tumour mutational burden with a stated model",
            "read response rate against mutational burden across cancer types from published data"),
           75, ("00",), True),
    Lesson("02", "tumour_immune_dynamics", "Tumour–immune dynamics",
           "Immunosurveillance as a dynamical system: elimination, dormancy, escape and sneaking through.",
           ("simulate the Kuznetsov et al. (1994) effector–tumour model in cells and days",
            "read a phase plane: nullclines, equilibria and their stability, basins of attraction",
            "explain why a small tumour can sneak through where a larger one is held dormant",
            "link the model's regimes to elimination, equilibrium and escape"),
           90, ("01",), True),
    Lesson("03", "cytokine_therapy", "Cytokine therapy",
           "Interferons, interleukins (high-dose IL-2) and GM-CSF, with the Kirschner–Panetta model.",
           ("explain how IFN-α, IL-2 and GM-CSF act on immune cells, and why that differs from checkpoint blockade",
            "use the Kirschner & Panetta (1998) model to show why a weakly antigenic tumour escapes",
            "find how much adoptive cell therapy clears a tumour and what IL-2 alone does",
            "relate IL-2's short half-life to its dosing schedule and its toxicity",
            "read the clinical results of high-dose IL-2 and adjuvant interferon-α as their sources state them"),
           90, ("02",), True),
    Lesson("04", "immune_checkpoints", "Immune checkpoints",
           "PD-1, PD-L1 and CTLA-4: releasing the brakes in melanoma, lung and bladder cancer.",
           ("tell where and when CTLA-4 and PD-1/PD-L1 act, and how a blocking antibody releases the brake",
            "explain with a tumour–immune model why blocking enough PD-1 lets T cells control a tumour",
            "convert an antibody concentration to molar units and compute its receptor occupancy",
            "explain from a pharmacokinetic model why a flat dose every three or six weeks keeps PD-1 saturated",
            "read response rates, landmark survival and survival plateaus from the pivotal trials"),
           90, ("01", "02"), True),
    Lesson("05", "cell_therapy", "Adoptive cell therapy and CAR T cells",
           "From tumour-infiltrating lymphocytes to CD19 CAR T cells in leukaemia and lymphoma.",
           ("describe the adoptive cell transfer workflow and CAR designs",
            "model CAR T-cell expansion, contraction and persistence"),
           90, ("01", "02"), True),
    Lesson("06", "cancer_vaccines", "Cancer vaccines",
           "Preventive (HPV, hepatitis B) and therapeutic vaccines, prime and boost.",
           ("contrast preventive and therapeutic cancer vaccines",
            "model a prime–boost response and a vaccine against a tumour"),
           75, ("01", "04"), True),
    Lesson("07", "monoclonal_antibodies", "Monoclonal antibodies",
           "Naked, drug-conjugated and radio-conjugated antibodies, and how long they last.",
           ("name the parts of an IgG antibody and what each does",
            "tell from an antibody's name whether it is murine, chimeric, humanized or human",
            "explain ADCC, complement-dependent cytotoxicity, phagocytosis and how conjugates deliver a payload",
            "explain FcRn recycling and target-mediated drug disposition",
            "compute an effective half-life and relate a radionuclide's half-life to the dose a tumour receives"),
           75, ("01", "04"), True),
    Lesson("08", "safety_delivery_personalised", "Safety, delivery and personalised therapy",
           "Immune-related adverse events, delivery systems and matching therapy to patient.",
           ("compare adverse-event profiles of checkpoint regimens",
            "model release from a hydrogel or silica depot",
            "match a patient's biomarkers to therapies"),
           90, ("03", "04", "05", "07"), True),
    Lesson("09", "capstone_virtual_trial", "Capstone: a virtual clinical trial",
           "Design a regimen and test it on a cohort of virtual patients.",
           ("run an in-silico trial with the course's models",
            "read waterfall, spider and survival plots"),
           120, ("03", "04", "05", "06", "08"), True),
)


def lesson(number: str) -> Lesson:
    for item in LESSONS:
        if item.number == number:
            return item
    raise KeyError(f"no lesson {number!r}; lessons are {[x.number for x in LESSONS]}")


def depth(number: str) -> int:
    """Length of the longest chain of prerequisites leading to a lesson."""
    pre = lesson(number).prerequisites
    return 0 if not pre else 1 + max(depth(p) for p in pre)


def all_prerequisites(number: str) -> set[str]:
    """Every lesson that must come before ``number``, directly or not."""
    found: set[str] = set()
    for p in lesson(number).prerequisites:
        found |= {p} | all_prerequisites(p)
    return found


def overview_markdown() -> str:
    """The lesson list as a Markdown table: objectives, time, status and a Binder link each."""
    rows = ["| # | Lesson | You will be able to | Time | Open |", "|---|---|---|---|---|"]
    for item in LESSONS:
        goals = "; ".join(item.objectives)
        status = f"[Binder]({item.binder_url})" if item.available else "in preparation"
        rows.append(f"| {item.number} | **{item.title}** — {item.summary} | {goals} | {item.minutes} min | {status} |")
    total = sum(item.minutes for item in LESSONS)
    rows.append(f"\nAll {len(LESSONS)} lessons together take about {total / 60:.0f} hours.")
    return "\n".join(rows)
