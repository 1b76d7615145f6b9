import secrets

from django import template

register = template.Library()


@register.simple_tag
def unique_id(prefix: str) -> str:
    """An id no other element of the page has: `{% unique_id "table" as table_id %}`.

    Random rather than counted: parts of a page are rendered on their own and cached
    (render_to_string, the areas' cached sections), so no counter sees the whole page.
    """
    return f"{prefix}-{secrets.token_hex(6)}"
