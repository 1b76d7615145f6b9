import base64
import datetime
import os
import re
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance87.accounts.models import SecurityEvent
from pathfinders import services
from pathfinders.models import IndicatorValue, ProgressReport, ReportStatus
from pathfinders.services import ReportInput, UpdateInput, ValueInput
from tests.exports import csv_parts
from tests.factories import PASSWORD

from .conftest import PDF_BYTES


def form_data(report, indicators, commitments, *, version=None, action="save", **values) -> dict:
    """What the progress form posts; `values` by indicator code, e.g. NUM="12"."""
    data = {"version": version or report.version, "summary": "Summary", "action": action}
    for code, indicator in indicators.items():
        data[f"ind-{indicator.pk}-value"] = values.get(code, "")
        data[f"ind-{indicator.pk}-narrative"] = values.get(f"{code}_narrative", "")
    for commitment in commitments:
        data[f"com-{commitment.pk}-status"] = values.get(f"c{commitment.code}_status", "on_track")
        data[f"com-{commitment.pk}-progress_percent"] = values.get(
            f"c{commitment.code}_progress", "50"
        )
        data[f"com-{commitment.pk}-narrative"] = values.get(f"c{commitment.code}_narrative", "")
    return data


def submit_report(report, user, indicators, commitments) -> ProgressReport:
    services.report_save(
        report=report,
        user=user,
        expected_version=report.version,
        data=ReportInput(
            values={indicators["NUM"].pk: ValueInput(value_number=Decimal(10))},
            updates={
                c.pk: UpdateInput(status="on_track", progress_percent=10) for c in commitments
            },
        ),
    )
    return services.report_submit(report=report, user=user)


# --- The permission matrix: every role against every view ----------------------------------

ROLES = ["anonymous", "outsider", "focal_point", "gcg_member", "gcg_observer", "secretariat"]


@pytest.fixture
def as_role(request, client):
    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in


@pytest.fixture
def evidence_values(report, other_report, indicators, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    values = {}
    for name, item in (("own", report), ("other", other_report)):
        value = IndicatorValue(report=item, indicator=indicators["NUM"], value_number=1)
        value.evidence = SimpleUploadedFile(f"{name}.pdf", PDF_BYTES)
        value.save()
        values[name] = value
    return values


def expect(response, allowed: int | str):
    if allowed == "login":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == allowed, response.status_code


MATRIX = {
    # view: (url builder, expected per role in ROLES order)
    "overview": (lambda o: reverse("pathfinders:overview"), ["login", 404, 200, 200, 200, 200]),
    "overview_csv": (
        lambda o: reverse("pathfinders:overview_export", args=["csv"]),
        ["login", 404, 200, 200, 200, 200],
    ),
    "own_country": (
        lambda o: reverse("pathfinders:country_detail", args=["FJ"]),
        ["login", 404, 200, 200, 200, 200],
    ),
    "other_country": (
        lambda o: reverse("pathfinders:country_detail", args=["GH"]),
        ["login", 404, 404, 200, 200, 200],
    ),
    "own_report": (
        lambda o: reverse("pathfinders:report_detail", args=[o["report"].pk]),
        ["login", 404, 200, 200, 200, 200],
    ),
    "other_report": (
        lambda o: reverse("pathfinders:report_detail", args=[o["other_report"].pk]),
        ["login", 404, 404, 200, 200, 200],
    ),
    "own_report_form": (
        lambda o: reverse("pathfinders:report_edit", args=[o["report"].pk]),
        ["login", 404, 200, 403, 403, 403],
    ),
    "other_report_form": (
        lambda o: reverse("pathfinders:report_edit", args=[o["other_report"].pk]),
        ["login", 404, 404, 403, 403, 403],
    ),
    "own_report_check": (
        lambda o: reverse("pathfinders:report_confirm", args=[o["report"].pk]),
        ["login", 404, 200, 403, 403, 403],
    ),
    "other_report_check": (
        lambda o: reverse("pathfinders:report_confirm", args=[o["other_report"].pk]),
        ["login", 404, 404, 403, 403, 403],
    ),
    "review_queue": (
        lambda o: reverse("pathfinders:review_queue"),
        ["login", 404, 403, 403, 403, 200],
    ),
    "own_evidence": (
        lambda o: reverse("pathfinders:evidence_download", args=[o["evidence"]["own"].pk]),
        ["login", 404, 200, 200, 200, 200],
    ),
    "other_evidence": (
        lambda o: reverse("pathfinders:evidence_download", args=[o["evidence"]["other"].pk]),
        ["login", 404, 404, 200, 200, 200],
    ),
    "public_list": (lambda o: reverse("pathfinders:public_list"), [200, 200, 200, 200, 200, 200]),
    "public_profile": (
        lambda o: reverse("pathfinders:public_detail", args=["FJ"]),
        [200, 200, 200, 200, 200, 200],
    ),
}


@pytest.mark.parametrize("view", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_pages(view, role, as_role, report, other_report, evidence_values):
    url_for, expected = MATRIX[view]
    client = as_role(role)

    response = client.get(
        url_for({"report": report, "other_report": other_report, "evidence": evidence_values})
    )

    expect(response, expected[ROLES.index(role)])


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, ["login", 404, 403, 403, 403, 200], strict=True)),
)
def test_permission_matrix_for_the_review_page(
    role, expected, as_role, report, focal_point, indicators, commitments
):
    submit_report(report, focal_point, indicators, commitments)
    client = as_role(role)

    expect(client.get(reverse("pathfinders:report_review", args=[report.pk])), expected)


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, ["login", 404, 404, 403, 403, 302], strict=True))
)
def test_nobody_reviews_a_report_through_a_direct_post_but_the_secretariat(
    role,
    expected,
    as_role,
    other_report,
    indicators,
):
    other_report.status = ReportStatus.SUBMITTED
    other_report.first_submitted_at = other_report.submitted_at = datetime.datetime.now(
        datetime.UTC
    )
    other_report.save()
    client = as_role(role)

    response = client.post(
        reverse("pathfinders:report_review", args=[other_report.pk]), {"decision": "accept"}
    )

    expect(response, expected)
    status = ProgressReport.objects.get(pk=other_report.pk).status
    assert status == (ReportStatus.ACCEPTED if role == "secretariat" else ReportStatus.SUBMITTED)


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, ["login", 404, 404, 403, 403, 403], strict=True))
)
def test_nobody_writes_another_countrys_report_through_a_direct_post(
    role,
    expected,
    as_role,
    other_report,
    indicators,
):
    client = as_role(role)

    response = client.post(
        reverse("pathfinders:report_edit", args=[other_report.pk]),
        form_data(other_report, indicators, [], NUM="5"),
    )

    if role == "anonymous":
        assert response.status_code == 302  # kept for after sign-in, never saved
    else:
        expect(response, expected)
    assert not IndicatorValue.objects.filter(report=other_report).exists()


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, ["login", 404, 302, 403, 403, 403], strict=True))
)
def test_only_the_countrys_focal_point_starts_its_report(
    role, expected, as_role, pathfinder, period
):
    client = as_role(role)

    response = client.post(reverse("pathfinders:report_start", args=["FJ"]))

    expect(response, expected)
    assert ProgressReport.objects.filter(pathfinder=pathfinder).exists() == (role == "focal_point")


def test_focal_point_cannot_start_another_countrys_report(
    client_for, focal_point, other_pathfinder, period
):
    response = client_for(focal_point).post(reverse("pathfinders:report_start", args=["GH"]))

    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_refused_access_is_logged(client_for, focal_point, other_report):
    client_for(focal_point).get(reverse("pathfinders:report_detail", args=[other_report.pk]))

    assert SecurityEvent.objects.filter(kind="access_refused", user=focal_point).exists()


def test_pages_answer_a_head_request_as_they_answer_get(client, client_for, gcg_member, report):
    # Monitoring and link checkers ask with HEAD: the answer is the page's, without its body.
    public = client.head(reverse("pathfinders:public_detail", args=["FJ"]))
    overview = client_for(gcg_member).head(reverse("pathfinders:overview"))

    assert public.status_code == 200
    assert overview.status_code == 200
    assert client.head(reverse("pathfinders:public_list")).status_code == 200


def test_private_profile_is_not_public(client, pathfinder):
    pathfinder.is_public = False
    pathfinder.save()

    assert client.get(reverse("pathfinders:public_detail", args=["FJ"])).status_code == 404
    assert "Fiji" not in client.get(reverse("pathfinders:public_list")).content.decode()


def test_public_profile_shows_the_journey_but_no_report_data(client, report, commitments):
    response = client.get(reverse("pathfinders:public_detail", args=["FJ"]))

    content = response.content.decode()
    assert "Strategic planning workshop held" in content
    assert "22 Aug 2019" in content
    assert "Revise the hazardous work list" in content
    assert "Budget" not in content
    assert reverse("pathfinders:report_detail", args=[report.pk]) not in content


# --- Focal points see only their own countries ---------------------------------------------


def test_focal_point_overview_lists_only_their_countries(
    client_for, focal_point, report, other_report
):
    content = client_for(focal_point).get(reverse("pathfinders:overview")).content.decode()

    assert "Fiji" in content
    assert "Ghana" not in content


def test_focal_point_csv_holds_only_their_countries(client_for, focal_point, report, other_report):
    content = (
        client_for(focal_point)
        .get(reverse("pathfinders:overview_export", args=["csv"]))
        .content.decode()
    )

    assert "Fiji" in content and "Ghana" not in content


# --- The focal point's form -----------------------------------------------------------------


def test_focal_point_starts_the_current_report_and_lands_on_the_form(
    client_for, focal_point, pathfinder, period
):
    response = client_for(focal_point).post(reverse("pathfinders:report_start", args=["FJ"]))

    report = ProgressReport.objects.get(pathfinder=pathfinder, period=period)
    assert response.url == reverse("pathfinders:report_edit", args=[report.pk])


def test_saving_a_draft_keeps_it_for_later(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])

    response = client.post(url, form_data(report, indicators, commitments, NUM="321", YN="yes"))

    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert 'value="321"' in page
    assert "Draft saved" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.version == 2


def test_evidence_is_attached_and_downloaded_by_the_focal_point(
    client_for, focal_point, report, indicators, commitments, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(focal_point)
    data = form_data(report, indicators, commitments, NUM="3")
    data[f"ind-{indicators['NUM'].pk}-evidence"] = SimpleUploadedFile("survey.pdf", PDF_BYTES)

    client.post(reverse("pathfinders:report_edit", args=[report.pk]), data)

    value = IndicatorValue.objects.get(report=report, indicator=indicators["NUM"])
    assert value.evidence_type == "application/pdf"
    download = client.get(reverse("pathfinders:evidence_download", args=[value.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "survey.pdf" in download["Content-Disposition"]


def test_the_progress_form_says_the_evidence_limit_before_anything_is_sent(
    client_for, focal_point, report, indicators, commitments
):
    html = (
        client_for(focal_point)
        .get(reverse("pathfinders:report_edit", args=[report.pk]))
        .content.decode()
    )

    assert "PDF, DOCX, XLSX, PNG or JPEG; at most 10\xa0MB." in html
    assert f'data-max-bytes="{10 * 1024 * 1024}"' in html


def test_bad_values_are_shown_beside_their_fields_and_nothing_typed_is_lost(
    client_for, focal_point, report, indicators, commitments
):
    data = form_data(
        report,
        indicators,
        commitments,
        NUM="250",
        PCT="140",
        NUM_narrative="Typed text",
        **{"c1.2_status": "delayed"},
    )
    data[f"ind-{indicators['NUM'].pk}-evidence"] = SimpleUploadedFile(
        "virus.pdf", b"MZ\x90 not a pdf" * 20
    )

    response = client_for(focal_point).post(
        reverse("pathfinders:report_edit", args=[report.pk]), data
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "A percentage is between 0 and 100." in content
    assert "delayed or off track" in content
    assert "content was checked" in content
    assert 'value="250"' in content and 'value="140"' in content and "Typed text" in content
    assert "attach them again" in content
    pct_fieldset = content.split('id="indicator-PCT"')[1].split("</fieldset>")[0]
    assert "A percentage is between 0 and 100." in pct_fieldset
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_submitting_sends_the_report_to_the_review_queue(
    client_for, focal_point, secretariat, report, indicators, commitments
):
    response = client_for(focal_point).post(
        reverse("pathfinders:report_edit", args=[report.pk]),
        form_data(report, indicators, commitments, NUM="10", action="submit"),
    )

    assert response.url == reverse("pathfinders:report_detail", args=[report.pk])
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    queue = client_for(secretariat).get(reverse("pathfinders:review_queue")).content.decode()
    assert "Fiji" in queue


def test_a_report_submitted_after_the_secretariat_looked_is_in_the_queue_at_once(
    client, focal_point, secretariat, report, indicators, commitments
):
    """The queue is kept in the cache between visits: a submission renders it anew."""
    client.force_login(secretariat)
    assert "Nothing to review." in client.get(reverse("pathfinders:review_queue")).content.decode()

    submit_report(report, focal_point, indicators, commitments)
    client.force_login(secretariat)
    queue = client.get(reverse("pathfinders:review_queue")).content.decode()

    assert "Nothing to review." not in queue
    assert "1 report awaits review." in queue
    assert reverse("pathfinders:report_review", args=[report.pk]) in queue


def test_no_edits_after_submitting(client_for, focal_point, report, indicators, commitments):
    submit_report(report, focal_point, indicators, commitments)
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])

    get = client.get(url)
    post = client.post(url, form_data(report, indicators, commitments, version=99, NUM="999"))

    assert get.status_code == 302 and post.status_code == 302
    assert IndicatorValue.objects.get(report=report, indicator=indicators["NUM"]).value_number == 10


def test_returned_report_shows_each_comment_beside_its_field(
    client_for, focal_point, secretariat, report, indicators, commitments
):
    report = submit_report(report, focal_point, indicators, commitments)
    services.report_return(
        report=report,
        user=secretariat,
        comment="See the two points.",
        indicator_comments={indicators["PCT"].pk: "Which survey is this from?"},
        commitment_comments={commitments[1].pk: "Is it really on track?"},
    )

    content = (
        client_for(focal_point)
        .get(reverse("pathfinders:report_edit", args=[report.pk]))
        .content.decode()
    )

    assert "See the two points." in content
    pct = content.split('id="indicator-PCT"')[1].split("</fieldset>")[0]
    assert "Which survey is this from?" in pct
    commitment = content.split('id="commitment-1.2"')[1].split("</fieldset>")[0]
    assert "Is it really on track?" in commitment
    num = content.split('id="indicator-NUM"')[1].split("</fieldset>")[0]
    assert "Reviewer" not in num


def test_stale_save_is_refused_with_a_conflict_message_and_keeps_the_typed_values(
    client_for, focal_point, second_focal_point, report, indicators, commitments
):
    opened_version = report.version
    services.report_save(
        report=report,
        user=second_focal_point,
        expected_version=opened_version,
        data=ReportInput(values={indicators["NUM"].pk: ValueInput(value_number=Decimal(111))}),
    )
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])

    response = client.post(
        url, form_data(report, indicators, commitments, version=opened_version, NUM="222")
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this report after you opened it" in content
    assert "Jone" in content  # who saved meanwhile
    assert 'value="222"' in content
    assert "Saved now:" in content and "111" in content
    assert (
        IndicatorValue.objects.get(report=report, indicator=indicators["NUM"]).value_number == 111
    )
    assert re.search(r'name="version" value="2"', content)

    # Saving again after reading the conflict is a deliberate choice, and it goes through.
    again = client.post(url, form_data(report, indicators, commitments, version=2, NUM="222"))
    assert again.status_code == 302
    assert (
        IndicatorValue.objects.get(report=report, indicator=indicators["NUM"]).value_number == 222
    )


def expire_sessions() -> None:
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))


def test_a_submission_survives_an_expired_session(
    client, focal_point, report, indicators, commitments
):
    client.force_login(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])
    client.get(url)
    expire_sessions()  # the session expired while the form was open

    posted = client.post(
        url, form_data(report, indicators, commitments, NUM="4321", action="submit")
    )
    assert posted.status_code == 302 and posted.url.startswith("/accounts/login/")
    signed_in = client.post(
        f"/accounts/login/?next={url}", {"login": focal_point.email, "password": PASSWORD}
    )
    assert signed_in.url == url

    page = client.get(url).content.decode()
    assert 'value="4321"' in page
    assert "before your session expired" in page
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    assert not IndicatorValue.objects.filter(report=report).exists()
    client.post(url, form_data(report, indicators, commitments, NUM="4321", action="submit"))
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_an_anonymous_post_to_the_form_keeps_nothing_and_creates_no_session(
    client, report, indicators, commitments
):
    url = reverse("pathfinders:report_edit", args=[report.pk])
    client.cookies["sessionid"] = "not-a-session-of-anyone"

    posted = client.post(url, form_data(report, indicators, commitments, NUM="4321"))

    assert posted.status_code == 302 and posted.url.startswith("/accounts/login/")
    assert not Session.objects.exists()
    assert "You were not signed in" in client.get(posted.url).content.decode()
    assert not Session.objects.exists()


def test_a_post_after_signing_out_keeps_nothing(
    client, focal_point, report, indicators, commitments
):
    client.force_login(focal_point)
    cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = cookie

    client.post(
        reverse("pathfinders:report_edit", args=[report.pk]),
        form_data(report, indicators, commitments, NUM="4321"),
    )

    assert not Session.objects.exists()


def test_a_form_too_large_to_keep_is_refused_with_its_size_and_nothing_is_stored(
    client, focal_point, report, indicators, commitments
):
    client.force_login(focal_point)
    expire_sessions()
    url = reverse("pathfinders:report_edit", args=[report.pk])
    noise = os.urandom(800 * 1024).hex()  # 1.6 MB that no compression shrinks

    posted = client.post(url, form_data(report, indicators, commitments, NUM_narrative=noise))

    assert posted.status_code == 302
    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0
    assert max(len(s.session_data) for s in Session.objects.all()) < 2000
    page = client.get(posted.url).content.decode()
    assert "too large to keep (1.6\xa0MB; at most 256.0\xa0KB are kept)" in page


def test_a_kept_form_is_capped_at_256_kb(client, focal_point, report, indicators, commitments):
    client.force_login(focal_point)
    expire_sessions()
    url = reverse("pathfinders:report_edit", args=[report.pk])
    narrative = base64.b64encode(os.urandom(120 * 1024)).decode()  # 160 KB, hardly compressible

    client.post(url, form_data(report, indicators, commitments, NUM_narrative=narrative))

    stored = Session.objects.get(expire_date__gt=timezone.now())
    assert 160 * 1024 < len(stored.session_data) <= 256 * 1024
    assert narrative in str(stored.get_decoded())


def test_a_replayed_expired_cookie_keeps_one_form_at_most(
    client, focal_point, report, indicators, commitments
):
    client.force_login(focal_point)
    expire_sessions()
    cookie = client.cookies["sessionid"].value
    url = reverse("pathfinders:report_edit", args=[report.pk])

    for _ in range(3):
        client.cookies["sessionid"] = cookie
        client.post(url, form_data(report, indicators, commitments, NUM="4321"))

    assert Session.objects.count() == 1


def test_kept_values_go_back_only_to_the_person_who_typed_them(
    client, focal_point, country, report, indicators, commitments
):
    from tests.factories import FocalPointFactory

    colleague = FocalPointFactory(country=country, user__email="colleague@example.org").user
    client.force_login(focal_point)
    expire_sessions()
    url = reverse("pathfinders:report_edit", args=[report.pk])
    client.post(url, form_data(report, indicators, commitments, NUM="4321"))

    client.post("/accounts/login/", {"login": colleague.email, "password": PASSWORD})
    page = client.get(url).content.decode()

    assert 'value="4321"' not in page
    assert "before your session expired" not in page


def test_kept_values_are_not_shown_to_someone_who_may_not_write_the_report(
    client, gcg_member, report, indicators, commitments
):
    url = reverse("pathfinders:report_edit", args=[report.pk])
    client.post(url, form_data(report, indicators, commitments, NUM="4321"))
    client.force_login(gcg_member)

    assert client.get(url).status_code == 403


# --- The Secretariat's review ---------------------------------------------------------------


def test_secretariat_returns_a_report_with_comments_and_the_focal_points_are_emailed(
    client_for,
    secretariat,
    focal_point,
    report,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
):
    submit_report(report, focal_point, indicators, commitments)
    client = client_for(secretariat)
    url = reverse("pathfinders:report_review", args=[report.pk])
    assert "Review: Fiji" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "decision": "return",
                "comment": "",
                f"indicator_{indicators['NUM'].pk}": "Give the source.",
            },
        )

    assert response.url == reverse("pathfinders:review_queue")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.returned_by == secretariat
    assert mail.outbox[0].to == [focal_point.email]
    assert "Give the source." in mail.outbox[0].body


def test_returning_without_any_comment_is_refused_next_to_the_comment(
    client_for, secretariat, focal_point, report, indicators, commitments
):
    submit_report(report, focal_point, indicators, commitments)

    response = client_for(secretariat).post(
        reverse("pathfinders:report_review", args=[report.pk]),
        {"decision": "return", "comment": ""},
    )

    assert response.status_code == 400
    assert "Say what needs revising" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_history_section_is_for_the_secretariat_only(
    client_for, secretariat, gcg_member, focal_point, report, indicators, commitments
):
    submit_report(report, focal_point, indicators, commitments)
    url = reverse("pathfinders:report_detail", args=[report.pk])

    staff_page = client_for(secretariat).get(url).content.decode()
    member_page = client_for(gcg_member).get(url).content.decode()

    assert "Change history" in staff_page
    history = staff_page.split("Change history")[1]
    assert "NUM" in history and str(focal_point) in history
    assert "Change history" not in member_page


def test_a_history_row_without_a_user_reads_system(client_for, secretariat, report):
    # A change made by a migration or a background job has no user.
    report.summary = "Changed by a job"
    report.save()
    assert report.history.latest().history_user is None

    page = (
        client_for(secretariat)
        .get(reverse("pathfinders:report_detail", args=[report.pk]))
        .content.decode()
    )

    history = page.split("Change history")[1]
    assert "System" in history
    assert "pk=None" not in history


def test_accepted_report_is_locked_for_everyone(
    client_for, secretariat, focal_point, report, indicators, commitments
):
    submit_report(report, focal_point, indicators, commitments)
    services.report_accept(report=report, user=secretariat)

    detail = client_for(focal_point).get(reverse("pathfinders:report_detail", args=[report.pk]))
    edit = client_for(focal_point).get(reverse("pathfinders:report_edit", args=[report.pk]))

    assert "Locked" in detail.content.decode()
    assert edit.status_code == 302


# --- Overview: filters, sorting, CSV --------------------------------------------------------


def test_overview_filters_by_region_stage_and_theme(
    client_for, gcg_member, report, other_report, commitments
):
    client = client_for(gcg_member)
    url = reverse("pathfinders:overview")

    africa = client.get(url, {"region": "africa"}).content.decode()
    child_labour = client.get(url, {"theme": "child_labour"}).content.decode()
    trafficking = client.get(url, {"theme": "human_trafficking"}).content.decode()
    interest = client.get(url, {"stage": "expressed_interest"}).content.decode()

    assert "Ghana" in africa and ">Fiji<" not in africa
    assert ">Fiji<" in child_labour and "Ghana" not in child_labour
    assert ">Fiji<" not in trafficking
    assert "No Pathfinder Country matches" in interest


def test_overview_sorts_by_a_column(client_for, gcg_member, report, other_report):
    client = client_for(gcg_member)
    url = reverse("pathfinders:overview")

    ascending = client.get(url, {"sort": "country"}).content.decode()
    descending = client.get(url, {"sort": "-country"}).content.decode()

    assert ascending.index(">Fiji<") < ascending.index(">Ghana<")
    assert descending.index(">Ghana<") < descending.index(">Fiji<")


def test_overview_documents_the_rating_rule(client_for, gcg_member, report):
    content = client_for(gcg_member).get(reverse("pathfinders:overview")).content.decode()

    assert "Green: 60% or more" in content
    assert "Overdue: expected, and not submitted by the end of the deadline day" in content
    assert (
        "Expected to report: a country is expected to report for a period when it held" in content
    )


def test_csv_export_holds_exactly_the_rows_and_columns_shown(
    client_for, gcg_member, report, other_report
):
    client = client_for(gcg_member)
    query = {"region": "africa", "sort": "-country"}

    page = client.get(reverse("pathfinders:overview"), query).content.decode()
    filters, lines = csv_parts(
        client.get(reverse("pathfinders:overview_export", args=["csv"]), query)
    )

    assert filters[1:] == [["Region", "Africa"], ["Sort by", "Country (Z–A)"]]
    header = lines[0]
    thead = page.split("<thead>")[1].split("</thead>")[0]
    shown_headers = [
        re.sub(r"<[^>]+>|[▲▼]", "", cell).strip()
        for cell in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", thead, re.S)
    ]
    # The download's percentages are bare numbers: their column says the unit.
    assert "Indicators filled (%)" in header
    assert [name.removesuffix(" (%)") for name in header] == shown_headers
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert len(lines) - 1 == body.count("<tr>") == 1
    assert lines[1][:3] == ["Ghana", "Africa", "Implementing"]
    assert lines[1][header.index("Indicators filled (%)")].isdigit()


def test_overview_flags_an_overdue_country(client_for, gcg_member, pathfinder, framework):
    from .factories import PeriodFactory

    today = datetime.date.today()
    PeriodFactory(
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=90),
        due_on=today - datetime.timedelta(days=30),
        grace_days=7,
    )

    content = client_for(gcg_member).get(reverse("pathfinders:overview")).content.decode()

    assert 'badge--red">Overdue' in content


# --- Country page ---------------------------------------------------------------------------


def test_country_page_shows_roadmap_commitments_and_trend_charts(
    client_for, gcg_member, secretariat, focal_point, report, indicators, commitments
):
    submit_report(report, focal_point, indicators, commitments)
    services.report_accept(report=report, user=secretariat)

    content = (
        client_for(gcg_member)
        .get(reverse("pathfinders:country_detail", args=["FJ"]))
        .content.decode()
    )

    assert "Fiji roadmap" in content
    assert "Extend child labour monitoring" in content
    assert "<svg" in content and "Indicator values by period" in content
    assert "2026 H1" in content


def test_focal_point_sees_the_button_to_open_the_current_report(client_for, focal_point, report):
    content = (
        client_for(focal_point)
        .get(reverse("pathfinders:country_detail", args=["FJ"]))
        .content.decode()
    )

    assert reverse("pathfinders:report_edit", args=[report.pk]) in content


def test_dashboard_summarises_the_area_for_each_role(
    client_for, gcg_member, focal_point, outsider, report
):
    member = client_for(gcg_member).get(reverse("dashboard")).content.decode()
    own = client_for(focal_point).get(reverse("dashboard")).content.decode()
    none = client_for(outsider).get(reverse("dashboard")).content.decode()

    assert 'id="summary-pathfinders"' in member and "awaiting review" in member
    assert 'id="summary-pathfinders"' in own and "Continue the 2026 H1 report" in own
    assert 'id="summary-pathfinders"' not in none


def test_dashboard_counts_reports_by_status_with_each_languages_colon(
    client_for, gcg_member, report
):
    counts = {}
    for language in ("en", "fr", "es"):
        gcg_member.language = language
        gcg_member.save(update_fields=["language"])
        page = client_for(gcg_member).get(reverse("dashboard")).content.decode()
        counts[language] = re.findall(r'<span class="badge badge--\w+">([^<]*)</span>', page)

    assert "Draft: 1" in counts["en"]
    assert "Projet\u00a0: 1" in counts["fr"]  # a no-break space before the colon
    assert "Borrador: 1" in counts["es"]
    assert "Accepté\u00a0: 0" in counts["fr"] and "Aceptado: 0" in counts["es"]


def test_dashboard_counts_countries_overdue_for_the_last_closed_period(
    client_for, gcg_member, pathfinder, framework
):
    from .factories import PeriodFactory

    today = datetime.date.today()
    PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=90),
        due_on=today - datetime.timedelta(days=30),
        grace_days=7,
    )

    content = client_for(gcg_member).get(reverse("dashboard")).content.decode()

    assert "overdue for 2025" in content
    assert 'badge--red">Overdue' in content


def test_overview_shows_the_chosen_period(client_for, gcg_member, pathfinder, framework, report):
    from .factories import PeriodFactory, ReportFactory

    past = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
    )
    ReportFactory(
        pathfinder=pathfinder,
        period=past,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        accepted_at=datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC),
    )
    client = client_for(gcg_member)

    current = client.get(reverse("pathfinders:overview")).content.decode()
    chosen = client.get(reverse("pathfinders:overview"), {"period": past.pk}).content.decode()

    assert "(2026 H1)" in current and ">Draft<" in current
    assert "(2025)" in chosen and ">Accepted<" in chosen and 'badge--green">On time' in chosen


def test_overview_refuses_an_unknown_period_beside_the_filter(client_for, gcg_member, report):
    content = (
        client_for(gcg_member)
        .get(reverse("pathfinders:overview"), {"period": "999"})
        .content.decode()
    )

    assert "Select a valid choice" in content
    # The value is left out and the other filters apply: the countries are still listed.
    assert "No Pathfinder Country matches" not in content
    assert report.pathfinder.country.name in content


# --- Times in each reader's own time zone ---------------------------------------------------

SUBMITTED_AT = datetime.datetime(
    2026, 12, 5, 23, 43, tzinfo=datetime.UTC
)  # 11:43 on the 6th in Fiji


def _submitted_at_fixed_time(report, focal_point, indicators, commitments):
    submit_report(report, focal_point, indicators, commitments)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=SUBMITTED_AT)
    report.transitions.update(at=SUBMITTED_AT)


def test_a_fiji_focal_point_sees_the_submission_time_in_fiji_time_named(
    client_for, focal_point, country, report, indicators, commitments
):
    country.time_zone = "Pacific/Fiji"
    country.save()
    _submitted_at_fixed_time(report, focal_point, indicators, commitments)

    html = (
        client_for(focal_point)
        .get(reverse("pathfinders:report_detail", args=[report.pk]))
        .content.decode()
    )

    assert "Dec. 6, 2026, 11:43 a.m. (Fiji)" in html
    assert "UTC" not in html


@pytest.mark.parametrize(
    ("language", "named"),
    [
        ("fr", "jusqu'à la fin de ce jour (Fidji)"),
        ("es", "(Fiyi)"),
    ],
)
def test_a_report_names_its_country_s_zone_in_the_reader_s_language(
    client_for, focal_point, country, report, indicators, commitments, language, named
):
    country.time_zone = "Pacific/Fiji"
    country.save()
    focal_point.language = language
    focal_point.save()
    _submitted_at_fixed_time(report, focal_point, indicators, commitments)

    html = (
        client_for(focal_point)
        .get(reverse("pathfinders:report_detail", args=[report.pk]))
        .content.decode()
    )

    assert named in html
    assert "Pacific/Fiji" not in html


def test_a_reviewer_who_chose_paris_sees_the_submission_time_in_paris_time(
    client_for, secretariat, focal_point, country, report, indicators, commitments
):
    country.time_zone = "Pacific/Fiji"
    country.save()
    secretariat.time_zone = "Europe/Paris"
    secretariat.save()
    _submitted_at_fixed_time(report, focal_point, indicators, commitments)
    client = client_for(secretariat)

    queue = client.get(reverse("pathfinders:review_queue")).content.decode()
    review = client.get(reverse("pathfinders:report_review", args=[report.pk])).content.decode()

    assert "Dec. 6, 2026, 12:43 a.m. (France)" in queue
    assert "Dec. 6, 2026, 12:43 a.m. (France)" in review


# --- Moving through the progress form --------------------------------------------------------


def test_the_form_lists_its_sections_with_how_much_of_each_is_filled_in(
    client_for, focal_point, report, indicators, commitments
):
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=ReportInput(
            values={indicators["NUM"].pk: ValueInput(value_number=Decimal(3))},
            updates={commitments[0].pk: UpdateInput(status="on_track", progress_percent=10)},
        ),
    )

    page = client_for(focal_point).get(reverse("pathfinders:report_edit", args=[report.pk]))

    index = page.content.decode().split('class="pf-index"')[1].split("</nav>")[0]
    items = [re.sub(r"\s+", " ", text) for text in re.findall(r"<li.*?</li>", index, re.S)]
    assert len(items) == 4  # the framework's one pillar, commitments, narrative, evidence
    assert "1 of 5 filled in" in items[0]
    assert 'href="#commitments-heading"' in items[1] and "1 of 2 filled in" in items[1]
    assert 'href="#narrative-heading"' in items[2] and "0 of 1 filled in" in items[2]
    assert 'href="#evidence-heading"' in items[3] and "0 files attached" in items[3]


def test_a_refused_save_leads_with_a_summary_that_links_each_field_at_fault(
    client_for, focal_point, report, indicators, commitments
):
    data = form_data(report, indicators, commitments, PCT="140", **{"c1.1_status": "delayed"})

    response = client_for(focal_point).post(
        reverse("pathfinders:report_edit", args=[report.pk]), data
    )

    assert response.status_code == 400
    content = response.content.decode()
    summary = content.split('class="error-summary"')[1].split("</div>")[0]
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    pct, commitment = indicators["PCT"].pk, commitments[0].pk
    assert f'href="#id_ind-{pct}-value">PCT Value (%): A percentage is between 0 and 100.' in (
        summary
    )
    assert f'href="#id_com-{commitment}-narrative">Commitment 1.1 Narrative: Explain' in summary
    assert f'id="id_ind-{pct}-value"' in content
    assert content.index("error-summary") < content.index("pf-report-form")
    assert "<title>Error:" in content


def test_the_reviewers_comments_are_listed_at_the_top_with_links_to_their_fields(
    client_for, focal_point, secretariat, report, indicators, commitments
):
    report = submit_report(report, focal_point, indicators, commitments)
    services.report_return(
        report=report,
        user=secretariat,
        comment="Nearly there.",
        indicator_comments={indicators["YN"].pk: "Which law is this?"},
        commitment_comments={commitments[1].pk: "Which districts?"},
    )

    content = (
        client_for(focal_point)
        .get(reverse("pathfinders:report_edit", args=[report.pk]))
        .content.decode()
    )

    links = content.split('class="pf-comment-links"')[1].split("</ul>")[0]
    assert (
        f'href="#id_ind-{indicators["YN"].pk}-value_0"' in links and "Which law is this?" in links
    )
    assert f'href="#id_com-{commitments[1].pk}-status"' in links and "Which districts?" in links


def test_review_before_submitting_saves_then_shows_what_will_be_sent_and_what_is_missing(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    data = form_data(report, indicators, commitments, NUM="1234.5", action="review")

    response = client.post(reverse("pathfinders:report_edit", args=[report.pk]), data)

    check_url = reverse("pathfinders:report_confirm", args=[report.pk])
    assert response.url == check_url
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    page = client.get(check_url).content.decode()
    assert "1234.5" in page
    missing = page.split('class="panel pf-missing"')[1].split("</section>")[0]
    assert "4 indicators have no value" in missing and "#indicator-PCT" in missing
    assert "Required before submitting" not in missing
    assert f'name="version" value="{report.version}"' in page


def test_confirming_the_review_step_submits_the_report(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    client.post(
        reverse("pathfinders:report_edit", args=[report.pk]),
        form_data(report, indicators, commitments, NUM="12", action="review"),
    )
    report.refresh_from_db()

    response = client.post(
        reverse("pathfinders:report_confirm", args=[report.pk]), {"version": report.version}
    )

    assert response.url == reverse("pathfinders:report_detail", args=[report.pk])
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_review_step_names_the_commitments_still_missing_and_refuses_to_submit(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    url = reverse("pathfinders:report_confirm", args=[report.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"version": report.version})

    assert "Required before submitting" in page and "#commitment-1.2" in page
    assert response.status_code == 400
    assert "Give the status of every commitment" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_the_review_step_refuses_a_report_changed_since_it_was_shown(
    client_for, focal_point, report, indicators, commitments
):
    submit_version = report.version
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=ReportInput(
            updates={c.pk: UpdateInput(status="on_track", progress_percent=10) for c in commitments}
        ),
    )

    response = client_for(focal_point).post(
        reverse("pathfinders:report_confirm", args=[report.pk]), {"version": submit_version}
    )

    assert response.status_code == 409
    assert "Someone else saved this report" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


# --- Drafts saved as the focal point types -----------------------------------------------------


def test_a_draft_is_saved_with_the_version_the_page_holds(
    client_for, focal_point, report, indicators, commitments
):
    url = reverse("pathfinders:report_draft", args=[report.pk])
    data = form_data(report, indicators, commitments, NUM="42")
    del data["action"]

    response = client_for(focal_point).post(url, data)

    assert response.status_code == 200
    assert response.json()["state"] == "saved"
    assert response.json()["version"] == report.version + 1
    assert IndicatorValue.objects.get(report=report, indicator=indicators["NUM"]).value_number == 42


def test_a_second_tab_with_an_older_version_cannot_overwrite_the_draft(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    url = reverse("pathfinders:report_draft", args=[report.pk])
    client.post(url, form_data(report, indicators, commitments, NUM="42"))

    stale = client.post(url, form_data(report, indicators, commitments, NUM="7"))

    assert stale.status_code == 409
    assert stale.json()["state"] == "conflict"
    assert IndicatorValue.objects.get(report=report, indicator=indicators["NUM"]).value_number == 42


def test_a_draft_with_a_bad_value_is_not_saved_and_says_which_field(
    client_for, focal_point, report, indicators, commitments
):
    response = client_for(focal_point).post(
        reverse("pathfinders:report_draft", args=[report.pk]),
        form_data(report, indicators, commitments, NUM="42", PCT="140"),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        f"id_ind-{indicators['PCT'].pk}-value": "A percentage is between 0 and 100."
    }
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_a_draft_leaves_files_to_the_form_own_save(
    client_for, focal_point, report, indicators, commitments, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(report, indicators, commitments, NUM="42")
    data[f"ind-{indicators['NUM'].pk}-evidence"] = SimpleUploadedFile("a.pdf", PDF_BYTES)

    client_for(focal_point).post(reverse("pathfinders:report_draft", args=[report.pk]), data)

    value = IndicatorValue.objects.get(report=report, indicator=indicators["NUM"])
    assert value.value_number == 42 and not value.evidence


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, [401, 404, 404, 403, 403, 403], strict=True))
)
def test_nobody_saves_a_draft_of_another_countrys_report(
    role, expected, as_role, other_report, indicators
):
    response = as_role(role).post(
        reverse("pathfinders:report_draft", args=[other_report.pk]),
        form_data(other_report, indicators, [], NUM="5"),
    )

    assert response.status_code == expected
    assert not IndicatorValue.objects.filter(report=other_report).exists()


def test_a_draft_of_a_submitted_report_is_refused(
    client_for, focal_point, report, indicators, commitments
):
    report = submit_report(report, focal_point, indicators, commitments)

    response = client_for(focal_point).post(
        reverse("pathfinders:report_draft", args=[report.pk]),
        form_data(report, indicators, commitments, NUM="99"),
    )

    assert response.status_code == 409 and response.json()["state"] == "closed"
    assert IndicatorValue.objects.get(report=report, indicator=indicators["NUM"]).value_number == 10


# --- A file chosen with a refused save stays attached ---------------------------------------


def test_a_file_chosen_with_a_refused_save_stays_attached_and_is_stored_with_the_next_save(
    client_for, focal_point, report, indicators, commitments, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])
    data = form_data(report, indicators, commitments, NUM="12", PCT="140")
    data[f"ind-{indicators['NUM'].pk}-evidence"] = SimpleUploadedFile("survey.pdf", PDF_BYTES)

    refused = client.post(url, data)

    content = refused.content.decode()
    assert refused.status_code == 400
    assert "Chosen: survey.pdf" in content and "attach them again" not in content
    token = re.search(rf'name="ind-{indicators["NUM"].pk}-evidence_kept" value="([^"]+)"', content)
    data = form_data(report, indicators, commitments, NUM="12", PCT="14")
    data[f"ind-{indicators['NUM'].pk}-evidence_kept"] = token.group(1)
    assert client.post(url, data).status_code == 302
    value = IndicatorValue.objects.get(report=report, indicator=indicators["NUM"])
    assert value.evidence_filename == "survey.pdf"
    assert value.evidence.read() == PDF_BYTES
    assert not list((tmp_path / "evidence-kept").glob("*/*"))  # the waiting copy is gone


def test_a_kept_file_token_of_another_report_is_refused(
    client_for, focal_point, report, indicators, commitments, settings, tmp_path
):
    from django.core import signing

    settings.MEDIA_ROOT = tmp_path
    token = signing.dumps(
        {"path": "evidence-kept/x/other.pdf", "name": "other.pdf", "scope": "999:1"},
        salt="evidence-kept",
    )
    data = form_data(report, indicators, commitments, NUM="12")
    data[f"ind-{indicators['NUM'].pk}-evidence_kept"] = token

    response = client_for(focal_point).post(
        reverse("pathfinders:report_edit", args=[report.pk]), data
    )

    assert response.status_code == 400
    assert "could not be kept: choose it again" in response.content.decode()
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_focal_points_dashboard_leads_with_their_report_and_one_primary_button(
    client_for, focal_point, report, indicators
):
    html = client_for(focal_point).get(reverse("dashboard")).content.decode()

    assert html.index("card--task") < html.index("dashboard-others")
    assert html.count("button--primary") == 1
    assert f'href="{reverse("pathfinders:report_edit", args=[report.pk])}"' in html
    assert f"{len(indicators)} of {len(indicators)} indicators" in html
    assert "days left" in html


def test_gcg_members_dashboard_has_no_task_first(client_for, gcg_member, report):
    html = client_for(gcg_member).get(reverse("dashboard")).content.decode()

    assert "card--task" not in html


def test_the_country_page_kept_for_one_reader_is_not_shown_to_another(
    client, focal_point, secretariat, pathfinder, period
):
    client.force_login(focal_point)
    own = client.get(reverse("pathfinders:country_detail", args=["FJ"])).content.decode()
    assert "Start the report" in own and "Change the journey stage" not in own

    client.force_login(secretariat)
    staff = client.get(reverse("pathfinders:country_detail", args=["FJ"])).content.decode()

    assert "Change the journey stage" in staff


def test_a_started_report_is_on_the_country_page_at_once(
    client_for, focal_point, pathfinder, period
):
    client = client_for(focal_point)
    url = reverse("pathfinders:country_detail", args=["FJ"])
    assert "Start the report" in client.get(url).content.decode()

    client.post(reverse("pathfinders:report_start", args=["FJ"]))
    page = client.get(url).content.decode()

    assert "Start the report" not in page
    assert "Continue the report" in page
