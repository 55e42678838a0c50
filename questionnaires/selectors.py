"""Read queries and derived views of questionnaire versions."""

import io
import random

from django.db.models import QuerySet

from questionnaires.engine.codebook import codebook, write_codebook_xlsx
from questionnaires.engine.definition import Definition
from questionnaires.engine.diff import diff_definitions
from questionnaires.engine.respondents import respondent_table
from questionnaires.engine.simulate import SimulationReport, simulate
from questionnaires.models import Questionnaire, QuestionnaireVersion


def questionnaire_list() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.prefetch_related("versions__created_by").order_by("title")


def version_definition(version: QuestionnaireVersion) -> Definition:
    return Definition.from_dict(version.definition)


def version_codebook(version: QuestionnaireVersion) -> dict:
    return codebook(version_definition(version))


def version_codebook_xlsx(version: QuestionnaireVersion) -> bytes:
    buffer = io.BytesIO()
    write_codebook_xlsx(version_codebook(version), buffer)
    return buffer.getvalue()


def version_diff(old: QuestionnaireVersion, new: QuestionnaireVersion) -> dict:
    return diff_definitions(version_definition(old), version_definition(new))


def version_simulation(version: QuestionnaireVersion, *, interviews: int, seed: int,
                       dont_know_rate: float, refused_rate: float) -> SimulationReport:
    """Random interviews through the version (see engine.simulate); nothing is stored."""
    return simulate(version_definition(version), interviews, random.Random(seed),
                    dont_know_rate=dont_know_rate, refused_rate=refused_rate)


def version_simulated_table_csv(version: QuestionnaireVersion, report: SimulationReport) -> str:
    return respondent_table(version_definition(version), report.answers,
                            stored=report.values).to_csv()
