"""The site header keeps to one line at 1366 px, for every role and for a user holding all of
them, and the home page links to each role's work."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD, AgencyFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_LINKS = {
    Role.INTERVIEWER: ["Interviewing"],
    Role.SUPERVISOR: ["Your team", "Supervision", "Waves", "Questionnaires"],
    Role.ANALYST: ["Questionnaires", "Sampling", "Waves", "Supervision", "Analysis",
                   "Publishing", "Agencies"],
    Role.ADMIN: ["Administration", "Analysis", "Your team"],
}


def _everyone(agency):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    people = {role: make_user(role, agency=agency if role in (Role.INTERVIEWER, Role.SUPERVISOR)
                              else None) for role in Role}
    # The longest header: a user holding every role, with a long agency name.
    everything = make_user(Role.ADMIN, username="all_roles_user_with_a_long_name")
    everything.groups.set(Group.objects.filter(name__in=[r.value for r in Role]))
    everything.agency.name = "Mayor's Office for Policing and Crime (MOPAC), London"
    everything.agency.save()
    return people, everything


def test_the_header_is_one_line_at_1366_px_for_every_role(chromium, live_server):
    people, everything = _everyone(AgencyFactory(name="Synthetic Research Ltd"))
    for user in [*people.values(), everything]:
        context = chromium.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        log_in(page, live_server, user.username, PASSWORD)
        header = page.locator("header.site-header").bounding_box()
        link = page.locator("header.site-header nav a").first.bounding_box()
        assert header["height"] < 2.2 * link["height"] + 16, (user.username, header)
        overflow = page.evaluate(
            "() => { const h = document.querySelector('header.site-header');"
            " return h.scrollWidth - h.clientWidth; }")
        assert overflow <= 0, (user.username, overflow)
        if user == everything:
            screenshot(page, "header-all-roles-1366")
        context.close()


@pytest.mark.parametrize("role", list(Role))
def test_the_home_page_links_to_the_roles_work(chromium, live_server, role):
    people, _ = _everyone(AgencyFactory(name="Synthetic Research Ltd"))
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, live_server, people[role].username, PASSWORD)
    menu = page.locator("ul.menu").inner_text()
    for label in HOME_LINKS[role]:
        assert label in menu, (role, label, menu)
    context.close()
