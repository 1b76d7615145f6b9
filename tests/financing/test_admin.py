import pytest
from django.contrib import admin
from django.urls import reverse

from financing.models import ExchangeRate, FlowStatus, FundingFlow
from tests.factories import OrganisationFactory
from tests.financing.factories import (
    ExchangeRateFactory,
    FundingFlowFactory,
    FundingRequirementFactory,
    SecretariatFunctionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "exchangerate",
        "fundingflow",
        "fundingrequirement",
        "secretariatfunction",
        "fundingflowimport",
    ],
)
def test_secretariat_opens_every_financing_list_in_the_admin(
    client_for, secretariat, country, model
):
    FundingFlowFactory(country=country)
    FundingRequirementFactory(country=country)
    ExchangeRateFactory()
    SecretariatFunctionFactory()

    response = client_for(secretariat).get(
        reverse(f"admin:financing_{model}_changelist"), {"q": "a"}
    )

    assert response.status_code == 200


def test_secretariat_edits_an_exchange_rate_and_history_keeps_the_old_one(client_for, secretariat):
    rate = ExchangeRateFactory(usd_per_unit="1.10")

    response = client_for(secretariat).post(
        reverse("admin:financing_exchangerate_change", args=[rate.pk]),
        {"year": 2024, "currency": "EUR", "usd_per_unit": "1.12", "source": "UN operational rates"},
    )

    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert str(rate.usd_per_unit) == "1.1200000000"
    assert rate.history.count() == 2


def test_gcg_member_cannot_open_the_admin(client_for, gcg_member):
    response = client_for(gcg_member).get(reverse("admin:financing_fundingflow_changelist"))

    assert response.status_code == 302


def test_funding_flow_list_writes_the_same_rows_as_django_and_counts_once(
    client_for, secretariat, country, other_country, django_assert_max_num_queries
):
    for index in range(6):
        FundingFlowFactory(
            country=(country, other_country)[index % 2],
            status=(FlowStatus.PLEDGED, FlowStatus.PAID)[index % 2],
        )
    client = client_for(secretariat)
    url = reverse("admin:financing_fundingflow_changelist")
    with django_assert_max_num_queries(20) as queries:
        shared = client.get(url).content.decode()
    # read before the next request, which empties the connection's log of queries
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    model_admin = admin.site._registry[FundingFlow]
    template_name = model_admin.change_list_template
    model_admin.change_list_template = None  # Django's own list
    try:
        own = client.get(url).content.decode()
    finally:
        model_admin.change_list_template = template_name

    def rows(text: str) -> str:
        return text.split('<table id="result_list">', 1)[1].split("</table>", 1)[0]

    assert rows(shared) == rows(own)
    assert rows(shared).count("<tr") == 7  # the header and six flows
    assert "Fiji" in rows(shared)
    assert len(counts) == 1
    assert "toplinks" not in shared  # no date hierarchy beside the decision-year filter


def test_secretariat_retries_an_import_that_could_not_finish_but_not_a_refused_file(
    client_for, secretariat, django_capture_on_commit_callbacks
):
    from alliance87 import jobs
    from financing.models import FundingFlowImport

    stopped, refused = (
        FundingFlowImport.objects.create(
            file_name=name, file_sha256="0" * 64, uploaded_by=secretariat, content=content
        )
        for name, content in [("stopped.csv", b"source\n"), ("refused.csv", b"")]
    )
    for job in (stopped, refused):
        jobs.claim(FundingFlowImport, job.pk)
    jobs.fail(FundingFlowImport, stopped.pk, 1, "The worker stopped while running this job.")
    jobs.finish(FundingFlowImport, refused.pk, 1, status="failed", error_count=1)

    with django_capture_on_commit_callbacks() as sent:
        response = client_for(secretariat).post(
            reverse("admin:financing_fundingflowimport_changelist"),
            {"action": "retry_failed_jobs", "_selected_action": [stopped.pk, refused.pk]},
            follow=True,
        )

    text = response.content.decode()
    assert "1 job queued again." in text and "1 job was not retried" in text
    assert FundingFlowImport.objects.get(pk=stopped.pk).status == "queued"
    assert FundingFlowImport.objects.get(pk=refused.pk).status == "failed"
    assert len(sent) == 1


def test_an_imports_errors_read_in_the_admin_in_the_readers_language(client_for, secretariat):
    from django.utils import translation

    from financing.services import funding_flows_import

    content = b"source,recipient_type,amount\nNobody,country,-5\n"
    with translation.override("fr"):
        job = funding_flows_import(file_name="f.csv", content=content, user=secretariat).batch

    response = client_for(secretariat).get(
        reverse("admin:financing_fundingflowimport_change", args=[job.pk])
    )

    text = response.content.decode()
    assert (
        "Line 1, column —: Line 1 (the header) lacks the column(s): currency, decision_date, "
        "year_from, status." in text
    )
    assert "msgid" not in text


def _result_list(response) -> str:
    return response.content.decode().split('<table id="result_list">', 1)[1].split("</table>")[0]


def test_funding_flow_list_shows_a_renamed_donor_and_country_at_once(
    client_for, secretariat, country
):
    donor = OrganisationFactory(name="Norway", acronym="")
    FundingFlowFactory(country=country, source=donor)
    client = client_for(secretariat)
    url = reverse("admin:financing_fundingflow_changelist")
    assert "Norway" in _result_list(client.get(url))

    donor.name = "Kingdom of Norway"
    donor.save()
    country.name = "Republic of Fiji"
    country.save()

    rows = _result_list(client.get(url))
    assert "Kingdom of Norway" in rows and "Republic of Fiji" in rows


def test_funding_flow_list_seen_in_english_is_written_afresh_in_french(
    client_for, secretariat, country
):
    FundingFlowFactory(country=country, status=FlowStatus.PLEDGED)
    client = client_for(secretariat)
    url = reverse("admin:financing_fundingflow_changelist")
    assert "Pledged" in _result_list(client.get(url))

    secretariat.language = "fr"
    secretariat.save()

    rows = _result_list(client.get(url))
    assert "Annoncé" in rows and "Pledged" not in rows


def test_the_flow_list_shows_a_flow_recorded_after_the_last_visit(client_for, secretariat):
    """The list's page is kept in the cache between visits: a new flow renders it anew."""
    FundingFlowFactory(source=OrganisationFactory(name="Government of Norway", acronym=""))
    client = client_for(secretariat)
    url = reverse("admin:financing_fundingflow_changelist")
    assert "Government of Norway" in client.get(url).content.decode()

    FundingFlowFactory(source=OrganisationFactory(name="Walk Free", acronym=""))
    page = client.get(url).content.decode()

    assert "Government of Norway" in page and "Walk Free" in page
    assert "2 funding flows" in page


def test_a_message_on_the_list_is_shown_once(client_for, secretariat):
    """A page that shows a message is not kept: the message is not shown again."""
    flow = FundingFlowFactory()
    client = client_for(secretariat)
    url = reverse("admin:financing_fundingflow_changelist")
    client.get(url)
    client.post(
        url,
        {"action": "delete_selected", "_selected_action": [flow.pk], "post": "yes"},
    )

    first = client.get(url).content.decode()
    again = client.get(url).content.decode()

    assert "Successfully deleted 1 funding flow" in first
    assert "Successfully deleted" not in again
