import re

from django.template import Context, Template

TABLE = Template(
    '{% load portal_ui %}{% unique_id "table" as table_id %}'
    '<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{{ table_id }}">'
    '<table><caption id="{{ table_id }}">Seats</caption></table></div>'
)


def test_a_scrollable_table_is_labelled_by_its_own_caption():
    html = TABLE.render(Context())

    labelled_by = re.search(r'aria-labelledby="([^"]+)"', html).group(1)
    assert f'<caption id="{labelled_by}">Seats</caption>' in html


def test_parts_of_a_page_rendered_apart_never_share_an_id():
    # A page joins parts rendered on their own (and cached): no counter sees them all.
    ids = {re.search(r'id="([^"]+)"', TABLE.render(Context())).group(1) for _ in range(50)}

    assert len(ids) == 50
