"""``load_demo``: the five councils, their teams and people, frameworks; idempotent."""

from __future__ import annotations

from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from councils.demo import (
    AGENCY_EMAIL,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    EXTRA_PEOPLE,
    OPERATOR_EMAIL,
    load_demo,
)
from councils.models import (
    AuditEvent,
    Council,
    Framework,
    FrameworkItem,
    Membership,
    Role,
    RoleAssignment,
    ServiceArea,
    Team,
    User,
)


def _counts() -> dict[str, int]:
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in (
            Council, Team, User, Membership, RoleAssignment, Framework, FrameworkItem, AuditEvent)}


def test_load_demo_twice_leaves_the_same_rows(db, capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert first["Council"] == 5
    # One person per role in each council, the agency worker twice, the extra workers.
    assert first["Membership"] == 5 * len(DEMO_PEOPLE) + 2 + len(EXTRA_PEOPLE)
    output = capsys.readouterr().out
    assert DEMO_PASSWORD in output
    assert "social-worker@halton.demo" in output
    for extra in EXTRA_PEOPLE:
        assert extra.email in output
    assert OPERATOR_EMAIL in output


def test_councils_have_the_slugs_names_and_service_areas_of_domain_md(db):
    load_demo()
    councils = {c.slug: (c.name, c.service_area) for c in Council.objects.all()}
    assert councils == {
        "north-east-lincolnshire": ("North East Lincolnshire Council", ServiceArea.CHILDREN),
        "stoke-on-trent": ("Stoke-on-Trent City Council", ServiceArea.CHILDREN),
        "derbyshire": ("Derbyshire County Council", ServiceArea.ADULTS),
        "lincolnshire": ("Lincolnshire County Council", ServiceArea.CHILDREN),
        "halton": ("Halton Borough Council", ServiceArea.CHILDREN),
    }


def test_team_tags_the_rules_read(db):
    """LINCS-04 (fast, cwd) and STOKE-07 (asye-unsuitable), 003_beca269546173a23.txt and
    001_cfd4d7839e7e381c.txt."""
    load_demo()
    lincs = Council.objects.get(slug="lincolnshire")
    stoke = Council.objects.get(slug="stoke-on-trent")
    with scope(council=lincs):
        assert sorted(t for team in Team.objects.all() for t in team.tags) == ["cwd", "fast"]
    with scope(council=stoke):
        tags = {team.name: team.tags for team in Team.objects.all()}
    assert tags["Early Help"] == ["early-help", "asye-unsuitable"]
    assert {"css", "cic", "fast"} <= {t for ts in tags.values() for t in ts}


def test_every_demo_person_signs_in_with_the_shared_password(db):
    load_demo()
    for slug in ("halton", "derbyshire"):
        for role, _, _ in DEMO_PEOPLE:
            user = User.objects.get(email=f"{role}@{slug}.demo")
            assert user.check_password(DEMO_PASSWORD)
            assert not user.is_staff


def test_social_worker_reports_to_the_line_manager(db):
    load_demo()
    council = Council.objects.get(slug="north-east-lincolnshire")
    with scope(council=council):
        worker = Membership.objects.get(user__email="social-worker@north-east-lincolnshire.demo")
        assert worker.line_manager.user.email == "line-manager@north-east-lincolnshire.demo"
        assert list(worker.roles.values_list("role", flat=True)) == [Role.SOCIAL_WORKER]


def test_agency_worker_belongs_to_two_councils_and_operator_to_none(db):
    load_demo()
    with scopes_disabled():
        slugs = set(Membership.objects.filter(user__email=AGENCY_EMAIL)
                    .values_list("council__slug", flat=True))
        assert slugs == {"stoke-on-trent", "halton"}
        assert not Membership.objects.filter(user__email=OPERATOR_EMAIL).exists()
    assert User.objects.get(email=OPERATOR_EMAIL).is_staff


def test_reference_frameworks_are_loaded(db):
    load_demo()
    kss = Framework.objects.get(slug="kss-child-family")
    titles = list(kss.items.order_by("position").values_list("title", flat=True))
    assert len(titles) == 10
    assert titles[0] == "Relationships and effective direct work"
    assert titles[9] == "Organisational context"
    pcf = Framework.objects.get(slug="pcf")
    assert pcf.items.filter(kind=FrameworkItem.Kind.DOMAIN).count() == 9
    assert list(pcf.items.filter(kind=FrameworkItem.Kind.LEVEL).values_list("code", flat=True)) \
        == ["asye", "social-worker", "experienced", "advanced"]
    assert Framework.objects.filter(slug="kss-adults").exists()


def test_extra_people_report_to_the_demo_line_manager(db):
    load_demo()
    for extra in EXTRA_PEOPLE:
        council = Council.objects.get(slug=extra.council)
        with scope(council=council):
            member = Membership.objects.get(user__email=extra.email)
            assert member.line_manager.user.email == f"line-manager@{extra.council}.demo"
            assert list(member.roles.values_list("role", flat=True)) == [Role.SOCIAL_WORKER]


def test_lincolnshire_line_manager_is_also_the_practice_supervisor(db):
    """LINCS-05, 003_beca269546173a23.txt: the Practice Supervisor confirms readiness."""
    load_demo()
    council = Council.objects.get(slug="lincolnshire")
    with scope(council=council):
        member = Membership.objects.get(user__email="line-manager@lincolnshire.demo")
        assert set(member.roles.values_list("role", flat=True)) == {
            Role.LINE_MANAGER, Role.PRACTICE_SUPERVISOR}


def test_a_changed_demo_password_is_put_back(db):
    load_demo()
    user = User.objects.get(email="hr@halton.demo")
    user.set_password("something-else-entirely")
    user.save()
    load_demo()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
