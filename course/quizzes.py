"""The self-check quiz of each lesson: ``quiz("01")`` returns a displayable :class:`~course.quiz.Quiz`."""

from __future__ import annotations

from course.quiz import Question, Quiz

QUESTIONS: dict[str, tuple[Question, ...]] = {
    "00": (
        Question("You moved a slider and the figure changed. Where do you read the numbers behind it?",
                 ("In the readout line under the figure", "In the notebook's metadata", "Nowhere: figures have no numbers"),
                 0, "Every explainer prints a live readout under its figure, and you can hover over the figure for values."),
        Question("An exercise check says 'not answered'. What should you do?",
                 ("Replace the ... with your answer and run the cell again", "Restart the kernel",
                  "Nothing: 'not answered' means correct"),
                 0, "The ... is a placeholder: the check waits until you put an answer in its place."),
    ),
    "01": (
        Question("Which arm of the immune system acts within hours, without having met the antigen before?",
                 ("Innate immunity", "Adaptive immunity", "Humoral memory"),
                 0, "Innate cells such as NK cells, neutrophils and macrophages act at once; adaptive B and T cells "
                    "need days to expand and then remember."),
        Question("What makes a neoantigen look 'non-self' to a T cell?",
                 ("It comes from a tumour-specific mutation, so normal cells never show that peptide",
                  "It is made in much larger amounts than in normal cells",
                  "It is a normal protein shown on the wrong cell type"),
                 0, "A mutation changes the peptide's sequence, so T cells that recognise it were never removed "
                    "by tolerance. Over-expressed or misplaced normal proteins are tumour-associated antigens instead."),
        Question("In the equilibrium phase of cancer immunoediting…",
                 ("the immune system holds surviving tumour cells in check without removing them",
                  "the tumour grows unchecked",
                  "the immune system has removed every tumour cell"),
                 0, "Equilibrium is immune-mediated dormancy; elimination removes cells, escape lets them grow."),
        Question("Which of these cells in the tumour microenvironment usually dampens the attack on the tumour?",
                 ("Regulatory T cells", "CD8+ cytotoxic T cells", "NK cells"),
                 0, "Regulatory T cells suppress effector T cells; CD8+ T cells and NK cells kill tumour cells."),
    ),
    "02": (
        Question("On a phase plane, what is a nullcline of the tumour?",
                 ("The curve where the tumour neither grows nor shrinks",
                  "The path the tumour takes over time",
                  "The tumour size at which the immune system gives up"),
                 0, "Along the tumour's nullcline its rate of change is zero; trajectories cross it vertically or "
                    "horizontally, and equilibria sit where the two populations' nullclines meet."),
        Question("Two starts lie close together but on opposite sides of the separatrix. Where do they end?",
                 ("At different stable equilibria: one in dormancy, one in escape",
                  "At the same equilibrium, a little later for one of them",
                  "Both at the saddle point on the separatrix"),
                 0, "The separatrix is the boundary between two basins of attraction: which side a start is on "
                    "decides where it ends, however close the two starts are."),
        Question("Why can a very small tumour 'sneak through' when a medium-sized one is held dormant?",
                 ("It stimulates too few effector cells early on, and by the time it is large the response is outrun",
                  "Small tumours carry no antigens at all",
                  "Effector cells cannot enter small tumours"),
                 0, "Effector recruitment grows with tumour size; a small tumour grows while the response stays "
                    "weak and crosses into the escape basin before the effectors catch up."),
        Question("A stable equilibrium with a small, non-zero tumour corresponds to which phase of immunoediting?",
                 ("Equilibrium (immune-mediated dormancy)", "Elimination", "Escape"),
                 0, "The tumour persists but is held at a constant small size by effector cells: the equilibrium phase."),
    ),
    "03": (
        Question("How does a cytokine such as IL-2 differ from a checkpoint inhibitor?",
                 ("It acts directly on immune cells, making them grow and activate",
                  "It removes a brake that the tumour puts on T cells",
                  "It binds to the tumour cells and flags them for destruction"),
                 0, "IL-2 is a growth factor for T cells and NK cells; checkpoint inhibitors release brakes such "
                    "as PD-1, and antibodies that flag tumour cells are the subject of lesson 07."),
        Question("Why is high-dose IL-2 given every 8 hours rather than once a week?",
                 ("It leaves the blood within hours, so each dose is nearly gone before the next",
                  "The body makes antibodies against it within a day",
                  "Weekly doses would be too small to measure"),
                 0, "IL-2's elimination half-life is under one and a half hours (Konrad et al. 1990): after 8 hours "
                    "only about 2 % of a dose is left."),
        Question("What limits the dose of high-dose IL-2 in patients?",
                 ("Capillary leak: fluid escapes from the blood vessels, causing low blood pressure and oedema",
                  "Hair loss", "Allergic reactions to the infusion bag"),
                 0, "Capillary leak syndrome is the characteristic, dose-limiting toxicity; patients are treated in "
                    "hospital, often with intensive-care support."),
        Question("In the Kirschner–Panetta model, why does a tumour of very low antigenicity escape?",
                 ("It recruits too few effector cells to stop its growth",
                  "It kills all effector cells directly",
                  "It produces IL-2 that feeds its own growth"),
                 0, "Antigenicity c sets how many effectors a tumour recruits; near zero, the immune response "
                    "never catches up and the tumour grows to its carrying capacity."),
        Question("What does GM-CSF add to the oncolytic virus talimogene laherparepvec (T-VEC)?",
                 ("It attracts and matures dendritic cells that present tumour antigens to T cells",
                  "It kills tumour cells directly by lysis",
                  "It blocks PD-1 on T cells"),
                 0, "The virus lyses tumour cells and releases antigens; GM-CSF made in the tumour recruits and "
                    "matures dendritic cells so that T cells are primed against them."),
    ),
    "04": (
        Question("Where and when does CTLA-4 mainly act, compared with PD-1?",
                 ("CTLA-4 during priming in lymph nodes, PD-1 during the effector phase in the tumour",
                  "Both act only inside the tumour",
                  "CTLA-4 in the tumour, PD-1 in the lymph nodes"),
                 0, "CTLA-4 outcompetes the co-stimulatory receptor CD28 for B7 on antigen-presenting cells while T "
                    "cells are primed; PD-1 on activated T cells meets PD-L1 on tumour and immune cells in the "
                    "tissue."),
        Question("Why can pembrolizumab be given as a fixed dose every three or six weeks?",
                 ("Its half-life is weeks long and even the trough concentration is far above its Kd, so PD-1 "
                  "stays almost fully bound",
                  "Its half-life is a few hours, so only the peak matters",
                  "The tumour stores the antibody between doses"),
                 0, "IgG antibodies are recycled by FcRn and leave the blood slowly; with a picomolar-to-nanomolar "
                    "affinity, occupancy stays near saturation between doses."),
        Question("Why does the survival curve of a checkpoint-inhibitor trial flatten into a plateau?",
                 ("A fraction of patients has a durable response and stays alive for years",
                  "Patients stop being followed after two years",
                  "The drug keeps working only while it is given"),
                 0, "A mixture of long-term survivors and patients who progress gives a curve that levels off at "
                    "the long-term survivors' fraction: the median alone hides it."),
        Question("Which tumour feature is linked to a higher chance of response to PD-1 blockade?",
                 ("Many mutations (high tumour mutational burden or mismatch-repair deficiency)",
                  "A large tumour size", "A slow growth rate"),
                 0, "More mutations make more neoantigens that T cells can recognise (lesson 01); PD-L1 expression "
                    "is another biomarker, imperfect on its own."),
        Question("Which regimen caused the most severe (grade 3–4) treatment-related adverse events in melanoma?",
                 ("Nivolumab plus ipilimumab", "Nivolumab alone", "Pembrolizumab alone"),
                 0, "Combining CTLA-4 and PD-1 blockade raises both response and toxicity (CheckMate 067)."),
    ),
    "05": (
        Question("In which order does an adoptive cell therapy proceed?",
                 ("Collect T cells, modify or expand them, lymphodeplete the patient, reinfuse the cells",
                  "Lymphodeplete the patient, collect T cells, reinfuse them, then modify them in the body",
                  "Modify T cells in the body with a virus, then collect and reinfuse them"),
                 0, "T cells are collected (from a tumour or the blood), expanded or given a new receptor outside the "
                    "body, and infused after chemotherapy has prepared the patient."),
        Question("What does a second-generation CAR add to a first-generation one?",
                 ("A co-stimulatory domain, CD28 or 4-1BB, next to CD3ζ",
                  "A second antigen-binding scFv", "An MHC molecule to present the antigen"),
                 0, "First-generation CARs signal through CD3ζ alone; the co-stimulatory domain gives the second "
                    "signal a T cell needs to divide and survive."),
        Question("Why do patients treated with CD19 CAR T cells lose their normal B cells?",
                 ("CD19 is on normal B cells as well as on the leukaemia or lymphoma, so the CAR T cells kill both",
                  "The lymphodepleting chemotherapy removes B cells for good",
                  "CAR T cells release a cytokine that blocks B-cell production"),
                 0, "B-cell aplasia is the on-target, off-tumour effect of CD19 CAR T cells; B cells return when the "
                    "CAR T cells have contracted enough for the marrow to refill them."),
        Question("A leukaemia relapses after CD19 CAR-T therapy, and its cells no longer carry CD19. What happened?",
                 ("Cells without CD19 on their surface, invisible to the CAR T cells, grew undisturbed",
                  "The CAR T cells died too early, and the original CD19-positive cells came back",
                  "The CAR T cells turned into leukaemic cells"),
                 0, "Antigen loss, for example through mutations in CD19 that remove it from the cell surface, lets "
                    "a leukaemic clone escape however many CAR T cells there are; a relapse after the CAR T cells "
                    "have waned carries CD19."),
        Question("In ELIANA, why is the share of patients in remission smaller among those enrolled than among "
                 "those infused?",
                 ("Some enrolled patients never received their cells: they died, had adverse events, or their "
                  "product could not be made",
                  "Enrolled patients were given a lower dose",
                  "Remission was measured differently in enrolled patients"),
                 0, "The same responders are divided by a larger number: always read a response rate with the "
                    "population it is of."),
    ),
    "06": (
        Question("Why does HPV vaccination prevent fewer cancers when it is given at 20 than at 12?",
                 ("More women are already infected by 20, and the vaccine does not clear an existing infection",
                  "The vaccine is less immunogenic in adults than in children",
                  "Cervical cancer in vaccinated women is caused by other viruses"),
                 0, "A preventive vaccine blocks new infections only; once sexual activity starts, each year of delay "
                    "leaves more women infected and unprotected, as the HPV model and the national registers show."),
        Question("A trial reports high per-protocol efficacy and much lower intention-to-treat efficacy. What does "
                 "the gap mean?",
                 ("The intention-to-treat population includes women already infected, whom the vaccine cannot protect",
                  "The vaccine lost its effect over the trial",
                  "One of the two analyses is wrong"),
                 0, "Both are correct answers to different questions: per-protocol counts fully vaccinated women "
                    "without infection; intention-to-treat counts everyone randomised."),
        Question("In a prime–boost schedule, why does the response after the booster last longer?",
                 ("More of the booster's response comes from long-lived plasma cells",
                  "The booster's peak titre is always higher than the priming peak",
                  "The booster stops antibodies from being broken down"),
                 0, "In the White et al. model the booster's peak is lower, but its long-lived part is larger, so it "
                    "decays more slowly."),
        Question("Why are therapeutic cancer vaccines combined with checkpoint inhibitors?",
                 ("The vaccine makes tumour-specific T cells; the checkpoint inhibitor keeps them working in a "
                  "suppressive tumour",
                  "The checkpoint inhibitor replaces the need for an antigen",
                  "Checkpoint inhibitors make the vaccine last longer in the blood"),
                 0, "Priming is not enough if the tumour switches the new T cells off; in the tumour–vaccine model, "
                    "blocking suppression lowers the dose needed for control."),
    ),
    "07": (
        Question("Which part of an IgG antibody binds the antigen?",
                 ("The CDR loops at the tips of the variable domains VH and VL", "The Fc stem (CH2 and CH3)",
                  "The hinge"),
                 0, "Three CDR loops on each of VH and VL form the antigen-binding site at the end of each Fab arm."),
        Question("Rituximab, trastuzumab and nivolumab: which is chimeric, which humanized, which human?",
                 ("rituximab chimeric (-ximab), trastuzumab humanized (-zumab), nivolumab human (-umab)",
                  "rituximab human, trastuzumab chimeric, nivolumab humanized",
                  "all three are humanized"),
                 0, "Before 2017 the syllable before -mab named the source: -o- mouse, -xi- chimeric, -zu- "
                    "humanized, -u- human. Names given since 2017 no longer carry it."),
        Question("How does a naked antibody such as rituximab kill the cells it binds?",
                 ("Its Fc recruits NK cells and macrophages (ADCC, phagocytosis) and complement (CDC)",
                  "It carries a toxin into the cell", "It emits radiation"),
                 0, "Fcγ receptors on NK cells and macrophages, and complement C1q, bind the Fc of antibodies "
                    "coating a cell."),
        Question("Why does an antibody–drug conjugate spare healthy tissue better than the free drug?",
                 ("The antibody takes the drug mostly to cells that carry its target, and the drug is released "
                  "after the conjugate is taken inside them",
                  "The drug is less toxic once attached", "Healthy cells have no receptors for antibodies"),
                 0, "Delivery follows target expression; tissues with little target receive little payload, though "
                    "some is released or taken up non-specifically, which causes the side effects that remain."),
        Question("What gives IgG antibodies a half-life of weeks rather than hours?",
                 ("FcRn rescues them from degradation and recycles them back to the blood",
                  "They are too big to be filtered by the kidney, nothing else",
                  "They bind to red blood cells"),
                 0, "Size keeps IgG out of the urine, but it is FcRn recycling in endothelial cells that protects it "
                    "from lysosomal breakdown."),
    ),
    "09": (
        Question("A trial reports an objective response rate (ORR) of 20 %. What does that count?",
                 ("Patients whose best response was a complete or partial response (CR or PR)",
                  "Patients alive at the end of the trial",
                  "Patients whose disease did not progress, including stable disease"),
                 0, "ORR counts CR + PR. Adding stable disease gives the disease control rate (DCR); survival is a "
                    "separate endpoint."),
        Question("Under RECIST 1.1, when has a tumour progressed (PD)?",
                 ("When its sum of diameters is at least 20 % (and at least 5 mm) above the smallest sum seen so far, "
                  "or a new lesion appears", "When it is at least 20 % above its size at baseline, whatever happened since",
                  "When it has not shrunk by 30 %"),
                 0, "Progression is measured from the nadir, the smallest size recorded (baseline included); a 30 % "
                    "decrease from baseline is the threshold of a partial response."),
        Question("Why did immunotherapy trials need iRECIST?",
                 ("Some tumours grow first and shrink later (pseudo-progression), so a first progression is "
                  "confirmed at the next assessment before treatment is judged to have failed",
                  "Immunotherapies shrink tumours faster than chemotherapy",
                  "RECIST 1.1 cannot measure lymph nodes"),
                 0, "Immune responses take time to build up; the tumour can grow, or seem to because of immune "
                    "infiltration, before it shrinks. In the virtual trial many such delayed responses are PD by "
                    "RECIST 1.1 and responses by iRECIST."),
        Question("In the Kaplan–Meier estimate, what happens to a patient still free of progression at the last "
                 "scan?",
                 ("They are censored: counted as at risk until then, without an event",
                  "They are left out of the analysis", "They are counted as progressed at the last scan"),
                 0, "Censoring keeps what is known (no progression up to that day) without inventing an event; the "
                    "curve then stays flat at their time."),
        Question("What can a virtual trial of model patients tell you?",
                 ("How the model's assumptions translate into trial endpoints, and which patient parameters decide "
                  "response in the model: hypotheses to test, not evidence about real patients",
                  "The response rate real patients will have",
                  "Which dose to give a patient"),
                 0, "The cohort's distributions, the checkpoint and vaccine terms and the toxicity proxy are course "
                    "assumptions; only a real trial measures real patients."),
    ),
    "08": (
        Question("Which organs do immune-related adverse events of checkpoint inhibitors most often involve?",
                 ("Skin, gut, liver and endocrine glands (less often lung and kidney)",
                  "Only the blood and bone marrow, like chemotherapy",
                  "Only the tumour itself"),
                 0, "Released T cells can inflame healthy tissue: rash, colitis, hepatitis and thyroid or pituitary "
                    "inflammation are the common ones; bone-marrow damage is typical of chemotherapy."),
        Question("In CheckMate 067, which regimen had the most grade 3 or higher immune-related adverse events?",
                 ("Nivolumab plus ipilimumab", "Ipilimumab alone", "Nivolumab alone"),
                 0, "The combination had the highest rate, ipilimumab alone the next and nivolumab alone the lowest; "
                    "the combination also had the highest response rate."),
        Question("What is the usual first step for a grade 2 or higher immune-related adverse event?",
                 ("Corticosteroids, and stopping the checkpoint inhibitor",
                  "Doubling the dose to clear the tumour faster", "Nothing: immune side effects always settle alone"),
                 0, "Steroids damp the immune attack; infliximab is added for colitis that does not settle and "
                    "hormone replacement when a gland has failed."),
        Question("Why can a depot at the tumour lower side effects compared with the same dose into a vein?",
                 ("It keeps the drug at the site and lets it into the blood slowly, so the plasma peak is lower",
                  "It makes the drug bind its target more tightly",
                  "Drug released at the tumour can never reach the blood"),
                 0, "Drug leaks from the site into the blood, but slowly; the plasma peak, which drives systemic "
                    "side effects, is lower and later, while the local level stays high."),
        Question("A patient's tumour is CD19 negative after relapse. Which therapy of the course no longer fits?",
                 ("Anti-CD19 CAR T cells", "Any PD-1 antibody", "Nothing changes"),
                 0, "CAR T cells kill only cells that carry their antigen; loss of CD19 removes the target."),
    ),
}


def quiz(lesson: str) -> Quiz:
    """The self-check quiz of a lesson, e.g. ``quiz("01")``."""
    if lesson not in QUESTIONS:
        raise KeyError(f"no quiz for lesson {lesson!r}; quizzes exist for {sorted(QUESTIONS)}")
    return Quiz(f"Self-check — lesson {lesson}", QUESTIONS[lesson])
