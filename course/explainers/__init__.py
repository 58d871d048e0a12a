"""Interactive explainers: controls → model → figure, on :class:`base.Explainer`."""

from course.explainers.base import Control, Explainer

__all__ = ["Control", "Explainer", "registry"]


def registry() -> dict[str, type[Explainer]]:
    """Every explainer class of the course by name (used by tests and ``make bench``)."""
    from course.explainers.antibody import AntibodyAnatomy
    from course.explainers.antibody_pk import AntibodyDosing, ReceptorOccupancy, TargetMediatedDisposition
    from course.explainers.car_t import CarTEvidence, CarTKinetics, CarTVersusLeukaemia, ToxicityWindow
    from course.explainers.cell_atlas import CellAtlas
    from course.explainers.checkpoint_tumour import CheckpointTumour
    from course.explainers.checkpoints import CheckpointEvidence, CureSurvival
    from course.explainers.conjugates import ADCDelivery, RadioConjugateDose
    from course.explainers.course_map import CourseMap
    from course.explainers.cytokines import CytokineTrials, IL2Dosing
    from course.explainers.kirschner_panetta import KirschnerPanetta
    from course.explainers.neoantigens import NeoantigenExplainer
    from course.explainers.safety import AdverseEvents, DrugRelease, TherapyMatcher
    from course.explainers.tumour_dynamics import Immunoediting, KuznetsovTimeCourse, PhasePlane
    from course.explainers.vaccines import HPVVaccination, PrimeBoost, TumourVaccine, VaccineEvidence
    from course.explainers.virtual_trial import PatientExplorer, VirtualTrial

    return {cls.__name__: cls for cls in (CourseMap, CellAtlas, NeoantigenExplainer,
                                          KuznetsovTimeCourse, PhasePlane, Immunoediting, KirschnerPanetta,
                                          IL2Dosing, CytokineTrials, CheckpointTumour, ReceptorOccupancy,
                                          AntibodyDosing, CheckpointEvidence, CureSurvival, CarTKinetics,
                                          CarTVersusLeukaemia, ToxicityWindow, CarTEvidence, HPVVaccination,
                                          PrimeBoost, TumourVaccine, VaccineEvidence, AntibodyAnatomy,
                                          TargetMediatedDisposition, ADCDelivery, RadioConjugateDose,
                                          AdverseEvents, DrugRelease, TherapyMatcher, VirtualTrial,
                                          PatientExplorer)}
