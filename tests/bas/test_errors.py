"""One error root, one API handler, one set of styled error pages."""

import importlib
import pkgutil

import pytest
from django.test import Client, override_settings

from accounts.roles import Role
from bas.errors import BasError, ConflictError, NotFoundError
from tests.factories import PASSWORD, make_user

ERROR_MODULES = [
    "analysis.core.errors", "sampling.core.errors", "questionnaires.engine.errors",
    "questionnaires.services", "survey.errors", "survey.services.scheduling",
    "exports.errors", "exports.microdata", "exports.disclosure",
]


def _error_classes():
    for name in ERROR_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Exception)
                    and value.__module__ == module.__name__):
                yield value


def test_every_domain_error_has_the_one_root():
    classes = list(_error_classes())
    assert len(classes) >= 12
    assert [c.__name__ for c in classes if not issubclass(c, BasError)] == []


def test_no_other_error_root_in_the_project():
    import accounts
    import analysis
    import exports
    import questionnaires
    import sampling
    import survey

    roots = []
    for package in (accounts, analysis, exports, questionnaires, sampling, survey):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                # A private class (_TimeUp) is control flow inside one module, never raised
                # to a caller; every public error has the one root.
                if (isinstance(value, type) and issubclass(value, Exception)
                        and value.__module__ == info.name and not value.__name__.startswith("_")
                        and not issubclass(value, BasError)):
                    roots.append(f"{info.name}.{value.__name__}")
    assert roots == []


def test_the_root_carries_status_code_and_place():
    error = ConflictError("case 7 is held by someone else", code="case_held",
                          fields={"field": "case", "value": 7})
    assert error.http_status == 409 and str(error) == "case 7 is held by someone else"
    assert error.as_dict() == {"code": "case_held", "message": "case 7 is held by someone else",
                               "field": "case", "value": 7}
    assert NotFoundError("x").http_status == 404 and NotFoundError("x").code == "not_found"
    assert BasError("x").http_status == 400 and BasError("x").code == "invalid"


def test_the_api_handler_answers_with_the_errors_own_status():
    from bas.api import exception_handler

    response = exception_handler(ConflictError("clash", code="clash"), {})
    assert response.status_code == 409
    assert response.data == {"errors": [{"code": "clash", "message": "clash"}]}


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_pages_show_styled_403_and_404_with_debug_on_and_off(debug, agency):
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    client = Client()
    client.login(username=interviewer.username, password=PASSWORD)
    with override_settings(DEBUG=debug):
        forbidden = client.get("/sampling/")
        missing = client.get("/no/such/page/")
        missing_case = client.get("/interviewing/cases/999999/")
    assert forbidden.status_code == 403
    assert b"You cannot open this page" in forbidden.content
    assert b"site-header" in forbidden.content  # the site's layout, not a bare text page
    for response in (missing, missing_case):
        assert response.status_code == 404
        assert b"Page not found" in response.content and b"Home page" in response.content
        assert b"Traceback" not in response.content and b"URLconf" not in response.content


@pytest.mark.django_db
def test_an_unexpected_error_is_logged_and_shows_the_styled_500(monkeypatch, caplog):
    from accounts.views import pages

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(pages, "render", boom)
    user = make_user(Role.ANALYST)
    client = Client(raise_request_exception=False)
    client.login(username=user.username, password=PASSWORD)
    with override_settings(DEBUG=True):
        response = client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"kaboom" not in response.content
    assert any("kaboom" in (r.exc_text or "") or r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_api_errors_outside_drf_are_json(agency):
    client = Client()
    response = client.get("/api/no/such/endpoint/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.django_db
def test_a_failed_csrf_check_shows_the_styled_403(agency):
    user = make_user(Role.SUPERVISOR, agency=agency)
    client = Client(enforce_csrf_checks=True)
    client.login(username=user.username, password=PASSWORD)
    response = client.post("/supervision/cases/1/close/")
    assert response.status_code == 403
    assert b"reload the page and send it again" in response.content


@pytest.mark.django_db
def test_a_domain_error_on_a_post_goes_back_with_its_message(agency, monkeypatch):
    """A page that does not say how to show an error: back where the user came from."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from bas.web_errors import ErrorPagesMiddleware

    request = RequestFactory().post("/somewhere/", HTTP_REFERER="http://testserver/supervision/")
    request.session = {}
    request._messages = FallbackStorage(request)
    response = ErrorPagesMiddleware(lambda r: None).process_exception(
        request, BasError("the wave is closed"))
    assert response.status_code == 302 and response.url == "http://testserver/supervision/"
    assert [str(m) for m in request._messages] == ["the wave is closed"]

    foreign = RequestFactory().post("/somewhere/", HTTP_REFERER="https://evil.example/")
    foreign.session = {}
    foreign._messages = FallbackStorage(foreign)
    response = ErrorPagesMiddleware(lambda r: None).process_exception(foreign, BasError("x"))
    assert response.url == "/"
