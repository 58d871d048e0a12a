"""An IgG antibody drawn as its twelve domains, coloured by where their sequence comes from.

The drawing is schematic (domain sizes and angles are not to scale) but its parts are
the real ones: two heavy chains (VH, CH1, hinge, CH2, CH3) and two light chains (VL, CL);
the antigen-binding site made by the CDR loops at the tips of VH and VL; Fc-receptor and
C1q binding at the lower hinge and CH2; FcRn binding at the CH2–CH3 junction
(Vidarsson et al. 2014; Roopenian & Akilesh 2007).  Which parts are mouse sequence in a
murine, chimeric, humanized or human antibody follows the INN source-substem definitions
reviewed by Parren et al. 2017.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from course.figures.theme import GREY, OKABE_ITO, new_figure

MOUSE, HUMAN = OKABE_ITO["orange"], OKABE_ITO["sky_blue"]
REGIONS = ("constant", "framework", "cdr")
# Regions whose sequence is mouse-derived, for each source type (Parren et al. 2017, mAbs 9:898).
MOUSE_REGIONS = {
    "murine": {"constant", "framework", "cdr"},
    "chimeric": {"framework", "cdr"},  # whole mouse variable domains on human constant domains
    "humanized": {"cdr"},  # only the mouse CDR loops grafted onto a human antibody
    "human": set(),
}
SOURCE_TYPES = tuple(MOUSE_REGIONS)
NAME_ENDINGS = {"murine": "-omab", "chimeric": "-ximab", "humanized": "-zumab", "human": "-umab"}
FORMATS = ("naked antibody", "antibody–drug conjugate", "radioimmunoconjugate")

SOURCES = (
    "Vidarsson G, Dekkers G, Rispens T (2014) IgG subclasses and allotypes: from structure to effector "
    "functions. Front Immunol 5:520. doi:10.3389/fimmu.2014.00520",
    "Roopenian DC, Akilesh S (2007) FcRn: the neonatal Fc receptor comes of age. Nat Rev Immunol 7:715-725. "
    "doi:10.1038/nri2155",
    "Parren PWHI, Carter PJ, Plückthun A (2017) Changes to International Nonproprietary Names for antibody "
    "therapeutics 2017 and beyond: of mice, men and more. mAbs 9:898-906. doi:10.1080/19420862.2017.1341029",
)

_W, _H = 0.9, 0.95  # domain box, arbitrary drawing units
_CDR_DEPTH = 0.2  # share of a V domain's length drawn as the CDR band at its tip
_ARM_ANGLE = math.radians(38)  # Fab arms from the vertical
_LANE = 0.55  # half the distance between the two heavy chains in the Fc
_HINGE_TOP = 2.35


def _box(cx: float, cy: float, angle: float, along: tuple[float, float] = (-0.5, 0.5)) -> list[tuple[float, float]]:
    """Corners of a domain box centred at (cx, cy), rotated by ``angle`` from the vertical.

    ``along`` selects a slice of the box along its long axis (-0.5 bottom … 0.5 top).
    """
    ux, uy = math.sin(angle), math.cos(angle)  # long axis
    vx, vy = uy, -ux  # short axis
    lo, hi = along[0] * _H, along[1] * _H
    corners = []
    for a, b in ((lo, -_W / 2), (lo, _W / 2), (hi, _W / 2), (hi, -_W / 2), (lo, -_W / 2)):
        corners.append((cx + a * ux + b * vx, cy + a * uy + b * vy))
    return corners


def domains() -> list[dict]:
    """Every domain: its name, chain, centre, angle, and (for V domains) where its CDR band sits."""
    out = []
    for side in (-1, 1):
        # Fc: heavy chains side by side, CH3 at the bottom.
        x = side * _LANE
        out.append(dict(name="CH3", chain="heavy", cx=x, cy=0.5, angle=0.0, variable=False))
        out.append(dict(name="CH2", chain="heavy", cx=x, cy=1.55, angle=0.0, variable=False))
        # Fab arm: heavy chain on the inner lane, light chain on the outer lane.
        angle = side * _ARM_ANGLE
        dx, dy = math.sin(angle), math.cos(angle)
        nx, ny = side * math.cos(_ARM_ANGLE), -math.sin(_ARM_ANGLE)  # outward, across the arm
        bx, by = x, _HINGE_TOP
        for name, chain, step, lane in (("CH1", "heavy", 0.6, 0.0), ("VH", "heavy", 1.6, 0.0),
                                        ("CL", "light", 0.6, 1.0), ("VL", "light", 1.6, 1.0)):
            out.append(dict(name=name, chain=chain, cx=bx + step * dx + lane * nx, cy=by + step * dy + lane * ny,
                            angle=angle, variable=name.startswith("V")))
    return out


def _region_paths() -> dict[str, tuple[list, list]]:
    paths = {r: ([], []) for r in REGIONS}
    for d in domains():
        pieces = [("constant", (-0.5, 0.5))] if not d["variable"] else [
            ("framework", (-0.5, 0.5 - _CDR_DEPTH)), ("cdr", (0.5 - _CDR_DEPTH, 0.5))]
        for region, along in pieces:
            xs, ys = paths[region]
            for px, py in _box(d["cx"], d["cy"], d["angle"], along):
                xs.append(round(px, 4))
                ys.append(round(py, 4))
            xs.append(None)
            ys.append(None)
    return paths


def _bonds() -> tuple[list, list]:
    """Hinge chains and inter-chain disulfide bonds, as one line path."""
    xs: list = []
    ys: list = []
    by_name = {(d["name"], d["cx"] > 0): d for d in domains()}
    for side in (-1, 1):
        right = side > 0
        xs += [side * _LANE, side * _LANE, None]
        ys += [2.05, _HINGE_TOP + 0.12, None]
        ch1, cl = by_name[("CH1", right)], by_name[("CL", right)]
        xs += [round((ch1["cx"] + cl["cx"]) / 2 - side * 0.25, 4), round((ch1["cx"] + cl["cx"]) / 2 + side * 0.25, 4),
               None]
        ys += [round((ch1["cy"] + cl["cy"]) / 2 + 0.05, 4), round((ch1["cy"] + cl["cy"]) / 2 - 0.15, 4), None]
    for y in (2.15, 2.27):  # the two heavy chains are bridged in the hinge
        xs += [-_LANE, _LANE, None]
        ys += [y, y, None]
    return xs, ys


def _payload_points(fmt: str) -> tuple[list, list]:
    """Where the drawing puts payloads: on hinge and CH1–CL cysteines (drug) or on CH2 (chelator)."""
    if fmt == "antibody–drug conjugate":
        return [-0.95, 0.95, -1.05, 1.05], [2.7, 2.7, 2.2, 2.2]
    if fmt == "radioimmunoconjugate":
        return [-1.25, 1.25], [1.55, 1.55]
    return [], []


def antibody_figure(source_type: str = "humanized", fmt: str = "naked antibody") -> go.Figure:
    """The IgG drawing for one source type and format (see :func:`set_antibody` to change them)."""
    fig = new_figure(
        "An IgG antibody: two heavy and two light chains",
        "A schematic IgG antibody. Two identical heavy chains (VH, CH1, hinge, CH2, CH3) and two light chains "
        "(VL, CL) form a Y. The two arms (Fab) end in the variable domains whose CDR loops make the antigen-binding "
        "site; the stem (Fc) binds Fc-gamma receptors and complement C1q at the lower hinge and CH2, which is how "
        "naked antibodies recruit NK cells and macrophages, and binds the recycling receptor FcRn at the CH2-CH3 "
        "junction, which gives IgG its long half-life. Colours show which domains are mouse sequence for the "
        "selected source type; markers show where a drug or a radionuclide is attached in a conjugate.",
        height=560, showlegend=False, hovermode="closest", margin=dict(l=20, r=20, t=60, b=20),
    )
    paths = _region_paths()
    for region in REGIONS:
        xs, ys = paths[region]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", name=f"{region} domains",
                                 line=dict(color="#333333", width=1), hoverinfo="skip"))
    bx, by = _bonds()
    fig.add_trace(go.Scatter(x=bx, y=by, mode="lines", name="hinge and disulfide bonds", hoverinfo="skip",
                             line=dict(color="#333333", width=2)))
    labels = domains()
    fig.add_trace(go.Scatter(x=[round(d["cx"], 4) for d in labels], y=[round(d["cy"] - 0.07 if d["variable"] else d["cy"], 4)
                                                                      for d in labels],
                             mode="text", text=[d["name"] for d in labels], name="domain names",
                             textfont=dict(size=12, color="#111111"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="payload", hoverinfo="skip",
                             marker=dict(size=16, line=dict(color="#222222", width=1.5))))
    for text, x, y, ax, ay in (
        ("<b>antigen-binding site</b><br>CDR loops of VH and VL", -2.1, 4.05, -30, -30),
        ("<b>Fab</b>: binds the target", 2.35, 3.2, 60, 0),
        ("<b>Fc</b>: Fcγ receptors and C1q bind<br>at the lower hinge and CH2<br>(ADCC, phagocytosis, CDC)",
         0.8, 1.8, 110, 10),
        ("<b>FcRn</b> binds at CH2–CH3:<br>recycling, long half-life", 0.8, 1.02, 110, 40),
    ):
        fig.add_annotation(text=text, x=x, y=y, ax=ax, ay=ay, showarrow=True, arrowhead=2, arrowcolor=GREY,
                           font=dict(size=12), align="left", xanchor="left" if ax >= 0 else "right")
    fig.add_annotation(text="", name="key", x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
                       showarrow=False, align="left", font=dict(size=13))
    fig.update_xaxes(visible=False, range=[-4.3, 4.3], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-0.2, 4.5], fixedrange=True, scaleanchor="x", scaleratio=1)
    set_antibody(fig, source_type, fmt)
    return fig


def set_antibody(fig, source_type: str, fmt: str) -> None:
    """Colour the domains for ``source_type`` and draw the payload for ``fmt``."""
    if source_type not in MOUSE_REGIONS:
        raise ValueError(f"source_type must be one of {SOURCE_TYPES}, got {source_type!r}")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")
    mouse = MOUSE_REGIONS[source_type]
    for trace, region in zip(fig.data, REGIONS):
        trace.fillcolor = MOUSE if region in mouse else HUMAN
    px, py = _payload_points(fmt)
    payload = fig.data[len(REGIONS) + 2]
    payload.x, payload.y = px, py
    payload.marker.symbol = "star" if fmt == "antibody–drug conjugate" else "circle"
    payload.marker.color = OKABE_ITO["vermillion"] if fmt == "antibody–drug conjugate" else OKABE_ITO["yellow"]
    what = {"naked antibody": "",
            "antibody–drug conjugate": f"<span style='color:{OKABE_ITO['vermillion']}'>★</span> drug on a linker<br>",
            "radioimmunoconjugate": f"<span style='color:{OKABE_ITO['yellow']}'>●</span> radionuclide in a chelator<br>"}
    key = (f"<span style='color:{MOUSE}'>■</span> mouse sequence  <span style='color:{HUMAN}'>■</span> human sequence"
           f"<br>{what[fmt]}name ends in <b>{NAME_ENDINGS[source_type]}</b> (source substem, names before 2017)")
    for annotation in fig.layout.annotations:
        if annotation.name == "key":
            annotation.text = key
